import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock, conflict } from '@rehearse/server/core';
import { decideRead, MediaRequest, rangedResponse, RangedResponse, SealedObjects } from '@rehearse/server/storage';
import { ExportService } from './export.service';
import { ExportsOfHiddenAnswers } from './exports-of-hidden-answers';
import { OrganisationFootprint } from './organisation-footprint';

/** A range of an archive downloaded within this time continues that download: its people are not logged again. */
export const RESUMED_DOWNLOAD_HOURS = 24;

/**
 * The download of a data export (ExportService: asking for one): the archive decrypted from the
 * object store as it streams, whole or by ranges, each person in it privacy-logged when someone
 * else downloads it.
 */
@Injectable()
export class ExportDownloads {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealed: SealedObjects,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly organisations: OrganisationFootprint,
    private readonly exports: ExportService,
    private readonly hidden: ExportsOfHiddenAnswers,
  ) {}

  /**
   * The archive, decrypted, whole or the range asked for (a browser resumes a broken download of a
   * large archive with Range and If-Range). A download of someone else's data is privacy-logged
   * for each person in it, once per download: a range of an archive (or a HEAD, which a download
   * manager sends first) this person downloaded within the last day continues that download and is
   * not logged again; a whole archive always is.
   */
  async download(actor: Actor, id: string, request: MediaRequest = {}): Promise<RangedResponse> {
    const r = await this.exports.readable(actor, id);
    if (r.state !== 'ready' || !r.object_key || !r.envelope)
      throw conflict(
        r.state === 'expired' ? 'This export has expired: make a new one' : 'This export is not ready yet',
      );
    // answers a licence has hidden since it was made are not handed out (the hourly round withdraws it)
    await this.hidden.refuseDownload(r);
    const envelope = r.envelope;
    const size = envelope.size;
    // an archive never changes under its id
    const etag = `"${r.id}-${size}"`;
    const decision = decideRead(request, size, etag);
    if (decision.status === 200 || decision.status === 206) {
      // the organisation's export holds everyone's data: a row in each person's log (the people read
      // before the transaction: inside it, through the pool, they took a second connection)
      const subjects: string[] = r.subject_id ? [r.subject_id] : await this.organisations.people(r.tenant_id);
      const reads = subjects.map((subjectId) => ({
        subjectId,
        tenantId: r.tenant_id,
        objectType: 'data_export',
        objectId: r.id,
        action: 'download',
      }));
      await this.db.transaction((m) =>
        decision.status === 206 || request.head
          ? this.privacy.recordManyUnlessSince(
              m,
              actor,
              reads,
              new Date(this.clock.now().getTime() - RESUMED_DOWNLOAD_HOURS * 3_600_000),
            )
          : this.privacy.recordMany(m, actor, reads),
      );
    }
    const filename = `rehearse-${r.scope === 'tenant' ? 'organisation' : 'data'}-${r.created_at.toISOString().slice(0, 10)}.zip`;
    return rangedResponse(
      decision,
      size,
      {
        'Content-Type': 'application/zip',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        ETag: etag,
      },
      request.head
        ? null
        : (range) => this.sealed.get({ tenantId: r.tenant_id, key: r.object_key as string }, envelope, range),
    );
  }
}
