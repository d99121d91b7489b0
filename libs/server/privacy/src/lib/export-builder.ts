import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import archiver from 'archiver';
import { DataSource } from 'typeorm';
import { EXPORT_KEEP_DAYS } from '@rehearse/shared/contracts';
import { PrivacyLogRepository } from '@rehearse/server/access';
import { Clock, isTemporaryFailure, notFound } from '@rehearse/server/core';
import { MailOutbox } from '@rehearse/server/mail';
import { BLOB_STORE, BlobStore, SealedObjects } from '@rehearse/server/storage';
import { DataExportsRepository } from './data-exports.repository';
import { OrganisationFootprint } from './organisation-footprint';
import { type PersonExport, PersonFootprint } from './person-footprint';

const DAY_MS = 86_400_000;

const README = `Your data from Rehearse

data.json          everything about you, in sections: profile, licence, groups, enrolments,
                   answers (with recordings' details, transcripts and the AI coach's reports),
                   feedback you received, feedback you gave, who looked at your data
                   (privacyLog), trusted devices, sessions, impersonations, deletion receipts
                   and earlier exports
recordings/        your recorded answers, decrypted, as you recorded them
transcripts/       each recording's transcript as text and as WebVTT captions

Answers hidden because your licence expired are left out until your administrator extends it.
`;

const TENANT_README = `Everything of your organisation in Rehearse

organisation.json  the organisation: settings, courses with every published version, rubrics,
                   groups with their members, enrolments, deletion receipts and the privacy log
people/<id>/       each person's data, as in their own export: data.json, recordings/ (decrypted)
                   and transcripts/

Answers hidden because a licence expired are left out of that person's folder.
`;

/**
 * The worker's side of data exports: builds an export's ZIP (a person's data, or the organisation's
 * and every person's), stores it encrypted, mails whoever asked, and removes archives past their
 * download window. Requests and lists are ExportService's, downloads ExportDownloads'.
 */
@Injectable()
export class ExportBuilder {
  private readonly logger = new Logger(ExportBuilder.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly sealed: SealedObjects,
    private readonly privacyLog: PrivacyLogRepository,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    private readonly exports: DataExportsRepository,
    private readonly footprint: PersonFootprint,
    private readonly organisations: OrganisationFootprint,
  ) {}

  /** The worker builds the archive; re-running a job whose export is already finished does nothing. */
  async build(exportId: string): Promise<void> {
    const r = await this.exports.row(null, exportId);
    if (!r || (r.state !== 'queued' && r.state !== 'building')) return;
    await this.exports.building(r.tenant_id, exportId);
    const key = `tenants/${r.tenant_id}/exports/${r.id}`;
    /** the archive being written, ended with the build's failure if it fails */
    let writing: archiver.Archiver | null = null;
    try {
      // one person: their data; the organisation: its own data and every person's, each in a folder
      const people = r.subject_id
        ? [{ id: r.subject_id, folder: '' }]
        : (await this.organisations.people(r.tenant_id)).map((id) => ({ id, folder: `people/${id}/` }));
      const archive = archiver('zip', { zlib: { level: 6 } });
      // the store reads the archive as it is written; when it fails (object storage away, a full
      // disk) nothing reads it any more: the archive is stopped and the build ends with that
      // failure, instead of waiting for ever on an archive nobody reads (the failure was also an
      // unhandled rejection, and the stopped archive's errors unhandled events: either ends a Node
      // process). The first failure, the store's or the archive's, is the build's.
      let failed: { error: unknown } | null = null;
      const fail = (error: unknown) => {
        failed ??= { error };
      };
      archive.on('error', fail);
      const putting = this.sealed
        .put({ tenantId: r.tenant_id, key, ownerId: r.subject_id }, archive)
        .catch((error: unknown) => {
          fail(error);
          archive.abort();
          throw error;
        });
      putting.catch(() => undefined); // awaited below; handled meanwhile
      writing = archive;
      const stopIfFailed = () => {
        if (failed) throw failed.error;
      };
      let done = 0;
      const step = async (total: number) => {
        stopIfFailed();
        done += 1;
        await this.exports.progress(r.tenant_id, exportId, Math.min(99, Math.round((done / total) * 100)));
      };
      if (r.scope === 'tenant') {
        archive.append(TENANT_README, { name: 'README.txt' });
        archive.append(JSON.stringify(await this.organisation(r.tenant_id), null, 2), { name: 'organisation.json' });
      } else {
        archive.append(README, { name: 'README.txt' });
      }
      for (const person of people) {
        const { data, recordings } = await this.collect(person.id, r.tenant_id);
        const total = r.scope === 'tenant' ? people.length : recordings.length + 1;
        archive.append(JSON.stringify(data, null, 2), { name: `${person.folder}data.json` });
        if (r.scope === 'user') await step(total);
        for (const rec of recordings) {
          archive.append(await this.sealed.get({ tenantId: r.tenant_id, key: rec.object_key }, rec.envelope), {
            name: `${person.folder}recordings/${rec.answer_id}.${rec.container}`,
          });
          if (rec.vtt) {
            archive.append(rec.text ?? '', { name: `${person.folder}transcripts/${rec.answer_id}.txt` });
            archive.append(rec.vtt, { name: `${person.folder}transcripts/${rec.answer_id}.vtt` });
          }
          if (r.scope === 'user') await step(total);
        }
        if (r.scope === 'tenant') await step(total);
      }
      stopIfFailed();
      const finalized = archive.finalize();
      finalized.catch(() => undefined); // an archive stopped because the store failed: that failure is the one
      await Promise.race([finalized, putting]);
      const envelope = await putting;
      const now = this.clock.now();
      // ready, and whoever asked told by an e-mail kept until sent (in one transaction)
      const ready = r.requested_by
        ? [{ name: 'export-ready' as const, payload: { exportId }, key: exportId, userId: r.requested_by }]
        : [];
      const kept = await this.db.transaction(async (m) => {
        const stored = { key, envelope, at: now, expiresAt: new Date(now.getTime() + EXPORT_KEEP_DAYS * DAY_MS) };
        if (!(await this.exports.ready(r.tenant_id, exportId, stored, m))) return false;
        await this.mail.keep(r.tenant_id, ready, now, m);
        return true;
      });
      if (!kept) {
        // the export went while it was being built (its person erased, its organisation destroyed):
        // the archive, written after the deletion looked for it, goes too
        await this.store.delete(key);
        this.logger.log({ exportId }, 'export deleted while it was being built: its archive removed');
        return;
      }
      await this.mail.queue(ready);
    } catch (e) {
      // failed elsewhere (PostgreSQL, a recording's read): the archive ends with the failure, so
      // that the store fails too instead of waiting for the rest of it
      writing?.destroy(e instanceof Error ? e : new Error(String(e)));
      await this.store.delete(key).catch(() => undefined);
      // a service away or a full disk: waiting again, built by the job's next attempt or, once
      // they are spent, by the job queued again for every unfinished export (ExportProcessor)
      if (isTemporaryFailure(e)) await this.exports.waiting(r.tenant_id, exportId).catch(() => undefined);
      else await this.exports.failed(r.tenant_id, exportId, (e as Error).message.slice(0, 500), this.clock.now());
      throw e;
    }
  }

  /** The organisation's own data (people are in their folders). */
  private async organisation(tenantId: string): Promise<Record<string, unknown>> {
    return {
      exportedAt: this.clock.now().toISOString(),
      ...(await this.organisations.exportOf(tenantId)),
      privacyLog: await this.privacyLog.tenantExport(this.db, tenantId),
    };
  }

  /** Removes archives past their download window. */
  async sweepExpired(): Promise<number> {
    const rows = await this.exports.pastTheirWindow(this.clock.now());
    for (const r of rows) {
      if (r.object_key) await this.store.delete(r.object_key);
      await this.exports.expired(r.tenant_id, r.id);
    }
    return rows.length;
  }

  /**
   * Everything about the subject, by section (the sections `USER_DATA` names). Answers of an
   * expired licence are left out, as everywhere else.
   */
  async collect(userId: string, tenantId: string): Promise<PersonExport> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const found = await this.footprint.exportOf(
        tenantId,
        userId,
        this.clock.today(),
        this.clock.now(),
        await this.privacyLog.subjectExport(m, userId),
        m,
      );
      if (!found) throw notFound('User');
      return found;
    });
  }
}
