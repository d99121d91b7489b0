import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import archiver from 'archiver';
import type { Queue } from 'bull';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { DataExport, EXPORT_KEEP_DAYS, exportJobId, QUEUES } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogRepository, PrivacyLogService } from '@rehearse/server/access';
import { Clock, conflict, notFound } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { BLOB_STORE, BlobStore, SealedObjects } from '@rehearse/server/storage';
import { type ExportRow, DataExportsRepository } from './data-exports.repository';
import { OrganisationFootprintRepository } from './organisation-footprint.repository';
import { type PersonExport, PersonFootprintRepository } from './person-footprint.repository';

const DAY_MS = 86_400_000;

function toExport(r: ExportRow): DataExport {
  return {
    id: r.id,
    scope: r.scope,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    state: r.state,
    progress: r.progress,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
  };
}

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
 * Data exports: a user's complete data as one ZIP, built by the worker (progress in the row),
 * stored encrypted under the user's own key and downloadable for ${EXPORT_KEEP_DAYS} days by the
 * user and by whoever asked for it (an administrator of their tenant; that download is logged).
 */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly sealed: SealedObjects,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly privacyLog: PrivacyLogRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    private readonly exports: DataExportsRepository,
    private readonly footprint: PersonFootprintRepository,
    private readonly organisations: OrganisationFootprintRepository,
  ) {}

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
    await this.queue.add('build', { exportId: id }, { jobId: exportJobId(id) });
    return toExport(row as ExportRow);
  }

  /** One export of the tenant, with its subject's name (undefined when there is none). */
  private async exportRow(id: string, tenantId: string): Promise<ExportRow | undefined> {
    return this.exports.row(tenantId, id);
  }

  async tenantExports(actor: Actor): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor);
    return (await this.exports.newest(tenantId, null)).map(toExport);
  }

  /** Exports of the subject, newest first (the actor's own, or an administrator's view of a user). */
  async list(actor: Actor, subjectId: string): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const u = await this.footprint.person(tenantId, subjectId);
    if (!u || (subjectId !== actor.userId && !actor.permissions.has('users.write'))) throw notFound('User');
    return (await this.exports.newest(tenantId, subjectId)).map(toExport);
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
    return toExport(await this.visible(actor, id));
  }

  /** The archive, decrypted; an administrator's download of someone's export is privacy-logged. */
  async download(actor: Actor, id: string): Promise<{ filename: string; size: number; body: Readable }> {
    const r = await this.visible(actor, id);
    if (r.state !== 'ready' || !r.object_key || !r.envelope)
      throw conflict(
        r.state === 'expired' ? 'This export has expired: make a new one' : 'This export is not ready yet',
      );
    await this.db.transaction(async (m) => {
      // the organisation's export holds everyone's data: a row in each person's log
      const subjects: string[] = r.subject_id ? [r.subject_id] : await this.organisations.people(r.tenant_id);
      await this.privacy.recordMany(
        m,
        actor,
        subjects.map((subjectId) => ({
          subjectId,
          tenantId: r.tenant_id,
          objectType: 'data_export',
          objectId: r.id,
          action: 'download',
        })),
      );
    });
    return {
      filename: `rehearse-${r.scope === 'tenant' ? 'organisation' : 'data'}-${r.created_at.toISOString().slice(0, 10)}.zip`,
      size: r.envelope.size,
      body: await this.sealed.get({ tenantId: r.tenant_id, key: r.object_key }, r.envelope),
    };
  }

  /** The worker builds the archive; re-running a job whose export is already finished does nothing. */
  async build(exportId: string): Promise<void> {
    const r = await this.exports.row(null, exportId);
    if (!r || (r.state !== 'queued' && r.state !== 'building')) return;
    await this.exports.building(r.tenant_id, exportId);
    const key = `tenants/${r.tenant_id}/exports/${r.id}`;
    try {
      // one person: their data; the organisation: its own data and every person's, each in a folder
      const people = r.subject_id
        ? [{ id: r.subject_id, folder: '' }]
        : (await this.organisations.people(r.tenant_id)).map((id) => ({ id, folder: `people/${id}/` }));
      const archive = archiver('zip', { zlib: { level: 6 } });
      const putting = this.sealed.put({ tenantId: r.tenant_id, key, ownerId: r.subject_id }, archive);
      let done = 0;
      const step = async (total: number) => {
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
      await archive.finalize();
      const envelope = await putting;
      const now = this.clock.now();
      await this.exports.ready(r.tenant_id, exportId, {
        key,
        envelope,
        at: now,
        expiresAt: new Date(now.getTime() + EXPORT_KEEP_DAYS * DAY_MS),
      });
      await this.mail
        .send('export-ready', { exportId }, exportId)
        .catch((e: Error) => this.logger.warn(`could not queue the export mail: ${e.message}`));
    } catch (e) {
      await this.store.delete(key).catch(() => undefined);
      await this.exports.failed(r.tenant_id, exportId, (e as Error).message.slice(0, 500), this.clock.now());
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
      await this.exports.expired(r.id);
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
