import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { DataExport, exportJobId, QUEUES } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { Clock, conflict, notFound, traced } from '@rehearse/server/core';
import { AccountsFootprintRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { decideRead, MediaRequest, rangedResponse, RangedResponse, SealedObjects } from '@rehearse/server/storage';
import { type ExportRow, DataExportsRepository } from './data-exports.repository';
import { OrganisationFootprint } from './organisation-footprint';
import { PersonFootprint } from './person-footprint';

/** A range of an archive downloaded within this time continues that download: its people are not logged again. */
export const RESUMED_DOWNLOAD_HOURS = 24;

function toExport(r: ExportRow, subjectName: string): DataExport {
  return {
    id: r.id,
    scope: r.scope,
    subjectId: r.subject_id,
    subjectName,
    state: r.state,
    progress: r.progress,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
  };
}

/**
 * Data exports: a user's complete data as one ZIP, built by the worker (ExportBuilder; progress in
 * the row), stored encrypted under the user's own key and downloadable for EXPORT_KEEP_DAYS days by the
 * user and by whoever asked for it (an administrator of their tenant; that download is logged).
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly sealed: SealedObjects,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly clock: Clock,
    private readonly exports: DataExportsRepository,
    private readonly footprint: PersonFootprint,
    private readonly organisations: OrganisationFootprint,
    private readonly accounts: AccountsFootprintRepository,
    private readonly directory: PeopleDirectoryRepository,
  ) {}

  /** The exports as the API answers them, each with its subject's name: the person's, or the organisation's. */
  private async answered(rows: ExportRow[]): Promise<DataExport[]> {
    const people = await this.directory.names(
      null,
      rows.flatMap((r) => r.subject_id ?? []),
    );
    const organisations = new Map<string, string>();
    for (const r of rows)
      if (!(r.subject_id && people.has(r.subject_id)) && !organisations.has(r.tenant_id))
        organisations.set(r.tenant_id, (await this.accounts.organisationName(r.tenant_id)) ?? '');
    return rows.map((r) =>
      toExport(r, (r.subject_id ? people.get(r.subject_id) : undefined) ?? organisations.get(r.tenant_id) ?? ''),
    );
  }

  /** Starts an export of `subjectId` (the actor, or a user of the administrator's tenant). */
  async request(actor: Actor, subjectId: string): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const u = await this.footprint.person(tenantId, subjectId);
    if (!u || (subjectId !== actor.userId && !actor.permissions.has('users.write'))) throw notFound('User');
    const id = await this.exports.start(tenantId, subjectId, actor.impersonatorId ?? actor.userId, this.clock.now());
    if (!id) throw conflict('An export of this person is already being built');
    return this.enqueue(id, tenantId);
  }

  /**
   * Everything of the organisation, for its administrators (before the end of an agreement, or to
   * leave): the organisation's own data and every person's, as in their own exports.
   */
  async requestTenant(actor: Actor): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor);
    const id = await this.exports.start(tenantId, null, actor.impersonatorId ?? actor.userId, this.clock.now());
    if (!id) throw conflict('An export of the organisation is already being built');
    return this.enqueue(id, tenantId);
  }

  /**
   * Hands a new export to the worker and answers it as it is then ("queued"): read before the job
   * is queued, so the answer does not depend on how soon a worker takes it. (Whoever asked was
   * checked before it was made.)
   */
  private async enqueue(id: string, tenantId: string): Promise<DataExport> {
    const row = await this.exportRow(id, tenantId);
    try {
      await this.queue.add('build', { exportId: id, ...traced() }, { jobId: exportJobId(id) });
    } catch (e) {
      // not queued (Redis away): failed, so that asking again is not refused as "already being built"
      await this.exports.failed(tenantId, id, 'could not be queued', this.clock.now()).catch(() => undefined);
      throw e;
    }
    return (await this.answered([row as ExportRow]))[0];
  }

  /** One export of the tenant (undefined when there is none). */
  private async exportRow(id: string, tenantId: string): Promise<ExportRow | undefined> {
    return this.exports.row(tenantId, id);
  }

  async tenantExports(actor: Actor): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor);
    return this.answered(await this.exports.newest(tenantId, null));
  }

  /** Exports of the subject, newest first (the actor's own, or an administrator's view of a user). */
  async list(actor: Actor, subjectId: string): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const u = await this.footprint.person(tenantId, subjectId);
    if (!u || (subjectId !== actor.userId && !actor.permissions.has('users.write'))) throw notFound('User');
    return this.answered(await this.exports.newest(tenantId, subjectId));
  }

  private async visible(actor: Actor, id: string): Promise<ExportRow> {
    const tenantId = this.access.tenantOf(actor, 'Export');
    // the subject, or an administrator of the tenant (the access core's `export.read`)
    await this.access.require(actor, 'export.read', id);
    const r = await this.exportRow(id, tenantId);
    if (!r) throw notFound('Export');
    return r;
  }

  async get(actor: Actor, id: string): Promise<DataExport> {
    return (await this.answered([await this.visible(actor, id)]))[0];
  }

  /**
   * The archive, decrypted, whole or the range asked for (a browser resumes a broken download of a
   * large archive with Range and If-Range). A download of someone else's data is privacy-logged
   * for each person in it, once per download: a range of an archive (or a HEAD, which a download
   * manager sends first) this person downloaded within the last day continues that download and is
   * not logged again; a whole archive always is.
   */
  async download(actor: Actor, id: string, request: MediaRequest = {}): Promise<RangedResponse> {
    const r = await this.visible(actor, id);
    if (r.state !== 'ready' || !r.object_key || !r.envelope)
      throw conflict(
        r.state === 'expired' ? 'This export has expired: make a new one' : 'This export is not ready yet',
      );
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
