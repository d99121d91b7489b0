import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import archiver from 'archiver';
import type { Queue } from 'bull';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { DataExport, EXPORT_KEEP_DAYS, exportJobId, ExportState, QUEUES } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogRepository, PrivacyLogService } from '@rehearse/server/access';
import { Clock, conflict, notFound } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { segmentsFromWords, toWebVtt } from '@rehearse/server/recordings';
import { BLOB_STORE, BlobStore, Envelope, SealedObjects } from '@rehearse/server/storage';

const DAY_MS = 86_400_000;

interface ExportRow {
  id: string;
  tenant_id: string;
  scope: 'user' | 'tenant';
  subject_id: string | null;
  requested_by: string | null;
  subject_name: string;
  state: ExportState;
  progress: number;
  object_key: string | null;
  envelope: Envelope | null;
  size_bytes: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
  expires_at: Date | null;
}

const EXPORT_ROW = `SELECT e.*, coalesce(u.name, t.name) AS subject_name FROM data_exports e JOIN tenants t ON t.id = e.tenant_id LEFT JOIN users u ON u.id = e.subject_id`;

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
  ) {}

  /** Starts an export of `subjectId` (the actor, or a user of the administrator's tenant). */
  async request(actor: Actor, subjectId: string): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const [u]: { id: string }[] = await this.db.query(`SELECT id FROM users WHERE id = $1 AND tenant_id = $2`, [
      subjectId,
      tenantId,
    ]);
    if (!u || (subjectId !== actor.userId && !actor.permissions.has('users.write'))) throw notFound('User');
    const id = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`export:${subjectId}`]);
      const [busy]: { id: string }[] = await m.query(
        `SELECT id FROM data_exports WHERE subject_id = $1 AND state IN ('queued','building')`,
        [subjectId],
      );
      if (busy) throw conflict('An export of this person is already being built');
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO data_exports (tenant_id, subject_id, requested_by, state, created_at) VALUES ($1,$2,$3,'queued',$4) RETURNING id`,
        [tenantId, subjectId, actor.impersonatorId ?? actor.userId, this.clock.now()],
      );
      return row.id;
    });
    return this.enqueue(id, tenantId);
  }

  /**
   * Everything of the organisation, for its administrators (before the end of an agreement, or to
   * leave): the organisation's own data and every person's, as in their own exports.
   */
  async requestTenant(actor: Actor): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor);
    const id = await this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`export:tenant:${tenantId}`]);
      const [busy]: { id: string }[] = await m.query(
        `SELECT id FROM data_exports WHERE tenant_id = $1 AND scope = 'tenant' AND state IN ('queued','building')`,
        [tenantId],
      );
      if (busy) throw conflict('An export of the organisation is already being built');
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO data_exports (tenant_id, scope, subject_id, requested_by, state, created_at) VALUES ($1,'tenant',NULL,$2,'queued',$3) RETURNING id`,
        [tenantId, actor.impersonatorId ?? actor.userId, this.clock.now()],
      );
      return row.id;
    });
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
    const [row]: ExportRow[] = await this.db.query(`${EXPORT_ROW} WHERE e.id = $1 AND e.tenant_id = $2`, [
      id,
      tenantId,
    ]);
    return row;
  }

  async tenantExports(actor: Actor): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows: ExportRow[] = await this.db.query(
      `${EXPORT_ROW} WHERE e.tenant_id = $1 AND e.scope = 'tenant' ORDER BY e.created_at DESC LIMIT 20`,
      [tenantId],
    );
    return rows.map(toExport);
  }

  /** Exports of the subject, newest first (the actor's own, or an administrator's view of a user). */
  async list(actor: Actor, subjectId: string): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor, 'User');
    const [u]: { id: string }[] = await this.db.query(`SELECT id FROM users WHERE id = $1 AND tenant_id = $2`, [
      subjectId,
      tenantId,
    ]);
    if (!u || (subjectId !== actor.userId && !actor.permissions.has('users.write'))) throw notFound('User');
    const rows: ExportRow[] = await this.db.query(
      `${EXPORT_ROW} WHERE e.subject_id = $1 AND e.tenant_id = $2 ORDER BY e.created_at DESC LIMIT 20`,
      [subjectId, tenantId],
    );
    return rows.map(toExport);
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
      const subjects: string[] = r.subject_id
        ? [r.subject_id]
        : ((await m.query(`SELECT id FROM users WHERE tenant_id = $1`, [r.tenant_id])) as { id: string }[]).map(
            (u) => u.id,
          );
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
    const [r]: ExportRow[] = await this.db.query(`${EXPORT_ROW} WHERE e.id = $1`, [exportId]);
    if (!r || (r.state !== 'queued' && r.state !== 'building')) return;
    await this.db.query(`UPDATE data_exports SET state = 'building', progress = 0, error = NULL WHERE id = $1`, [
      exportId,
    ]);
    const key = `tenants/${r.tenant_id}/exports/${r.id}`;
    try {
      // one person: their data; the organisation: its own data and every person's, each in a folder
      const people = r.subject_id
        ? [{ id: r.subject_id, folder: '' }]
        : (
            (await this.db.query(`SELECT id FROM users WHERE tenant_id = $1 ORDER BY created_at, id`, [
              r.tenant_id,
            ])) as { id: string }[]
          ).map((u) => ({ id: u.id, folder: `people/${u.id}/` }));
      const archive = archiver('zip', { zlib: { level: 6 } });
      const putting = this.sealed.put({ tenantId: r.tenant_id, key, ownerId: r.subject_id }, archive);
      let done = 0;
      const step = async (total: number) => {
        done += 1;
        await this.db.query(`UPDATE data_exports SET progress = $2 WHERE id = $1`, [
          exportId,
          Math.min(99, Math.round((done / total) * 100)),
        ]);
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
      await this.db.query(
        `UPDATE data_exports SET state = 'ready', progress = 100, object_key = $2, envelope = $3, size_bytes = $4, finished_at = $5, expires_at = $6 WHERE id = $1`,
        [exportId, key, envelope, envelope.size, now, new Date(now.getTime() + EXPORT_KEEP_DAYS * DAY_MS)],
      );
      await this.mail
        .send('export-ready', { exportId }, exportId)
        .catch((e: Error) => this.logger.warn(`could not queue the export mail: ${e.message}`));
    } catch (e) {
      await this.store.delete(key).catch(() => undefined);
      await this.db.query(`UPDATE data_exports SET state = 'failed', error = $2, finished_at = $3 WHERE id = $1`, [
        exportId,
        (e as Error).message.slice(0, 500),
        this.clock.now(),
      ]);
      throw e;
    }
  }

  /** The organisation's own data (people are in their folders). */
  private async organisation(tenantId: string): Promise<Record<string, unknown>> {
    const q = (sql: string) => this.db.query(sql, [tenantId]);
    const [tenant] =
      await q(`SELECT id, name, slug, created_at AS "createdAt", to_char(agreement_ends_on, 'YYYY-MM-DD') AS "agreementEndsOn", marker_tags AS "markerTags", filler_lists AS "fillerLists",
                                     retention_delete_after_days AS "deleteAfterDays", retention_notice_days AS "noticeDays", retention_keep_policy AS "keepPolicy" FROM tenants WHERE id = $1`);
    return {
      exportedAt: this.clock.now().toISOString(),
      organisation: tenant,
      people: await q(
        `SELECT u.id, u.name, u.email, u.status, array_remove(array_agg(m.role ORDER BY m.role), NULL) AS roles FROM users u LEFT JOIN memberships m ON m.user_id = u.id WHERE u.tenant_id = $1 GROUP BY u.id ORDER BY u.name`,
      ),
      courses: await q(`SELECT c.id, c.title, c.language, c.archived_at AS "archivedAt",
                               (SELECT coalesce(json_agg(json_build_object('version', v.version, 'state', v.state, 'publishedAt', v.published_at, 'content', v.content) ORDER BY v.version), '[]') FROM course_versions v WHERE v.course_id = c.id) AS versions
                          FROM courses c WHERE c.tenant_id = $1 ORDER BY c.title`),
      rubrics: await q(`SELECT id, title, description, criteria FROM rubrics WHERE tenant_id = $1 ORDER BY title`),
      groups: await q(
        `SELECT g.id, g.name, (SELECT coalesce(json_agg(json_build_object('userId', gm.user_id, 'role', gm.role)), '[]') FROM group_members gm WHERE gm.group_id = g.id) AS members FROM groups g WHERE g.tenant_id = $1 ORDER BY g.name`,
      ),
      enrolments: await q(
        `SELECT course_id AS "courseId", group_id AS "groupId", user_id AS "userId", coach_id AS "coachId", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(due_on, 'YYYY-MM-DD') AS "dueOn" FROM enrolments WHERE tenant_id = $1`,
      ),
      deletionReceipts: await q(
        `SELECT kind, subject_id AS "subjectId", created_at AS "createdAt", verified, counts FROM deletion_receipts WHERE tenant_id = $1 ORDER BY created_at`,
      ),
      privacyLog: await this.privacyLog.tenantExport(this.db, tenantId),
    };
  }

  /** Removes archives past their download window. */
  async sweepExpired(): Promise<number> {
    const rows: { id: string; object_key: string | null }[] = await this.db.query(
      `SELECT id, object_key FROM data_exports WHERE state = 'ready' AND expires_at <= $1`,
      [this.clock.now()],
    );
    for (const r of rows) {
      if (r.object_key) await this.store.delete(r.object_key);
      await this.db.query(
        `UPDATE data_exports SET state = 'expired', object_key = NULL, envelope = NULL WHERE id = $1`,
        [r.id],
      );
    }
    return rows.length;
  }

  /**
   * Everything about the subject, by section (the sections `USER_DATA` names). Answers of an
   * expired licence are left out, as everywhere else.
   */
  async collect(
    userId: string,
    tenantId: string,
  ): Promise<{
    data: Record<string, unknown>;
    recordings: {
      answer_id: string;
      object_key: string;
      envelope: Envelope;
      container: string;
      text: string | null;
      vtt: string | null;
    }[];
  }> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const q = <T>(sql: string, params: unknown[] = [userId]): Promise<T[]> => m.query(sql, params);
      const [profile] = await q<Record<string, unknown>>(
        `SELECT id, email, name, phone, status, totp_enabled AS "authenticatorApp", created_at AS "createdAt", last_sign_in_at AS "lastSignInAt", password_changed_at AS "passwordChangedAt" FROM users WHERE id = $1 AND tenant_id = $2`,
        [userId, tenantId],
      );
      if (!profile) throw notFound('User');
      const roles = (await q<{ role: string }>(`SELECT role FROM memberships WHERE user_id = $1 ORDER BY role`)).map(
        (r) => r.role,
      );
      const [licence] = await q<{ expires_on: string; hidden: boolean }>(
        `SELECT to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(expires_on, 'YYYY-MM-DD') AS expires_on, expires_on <= $2::date AS hidden,
                keep_status AS "keepStatus", to_char(keep_until, 'YYYY-MM-DD') AS "keepUntil", media_deleted_at AS "recordingsDeletedAt"
           FROM licences WHERE user_id = $1`,
        [userId, this.clock.today()],
      );
      const hidden = !!licence?.hidden;
      const answers = hidden
        ? []
        : await q<
            {
              id: string;
              content: { modules: { exercises: { id: string; title: string }[] }[]; title: string };
              exercise_id: string;
            } & Record<string, unknown>
          >(
            `SELECT a.id, a.exercise_id, v.content, a.attempt, a.answer_type AS "answerType", a.text_answer AS "text", a.submitted_at AS "submittedAt",
                    r.id AS "recordingId", r.status AS "recordingStatus", r.duration_seconds AS "durationSeconds", r.original_name AS "uploadedFileName",
                    (SELECT row_to_json(ar) FROM (SELECT report FROM ai_reports WHERE recording_id = r.id) ar) AS "aiReport",
                    (SELECT json_build_object('group', g.name, 'sharedAt', s.shared_at) FROM answer_shares s JOIN groups g ON g.id = s.group_id WHERE s.answer_id = a.id) AS "sharedWith"
               FROM answers a JOIN course_versions v ON v.id = a.course_version_id LEFT JOIN recordings r ON r.answer_id = a.id
              WHERE a.user_id = $1 ORDER BY a.submitted_at`,
          );
      const titled = answers.map(({ content, exercise_id, ...a }) => ({
        ...a,
        course: content.title,
        exercise: content.modules.flatMap((mo) => mo.exercises).find((e) => e.id === exercise_id)?.title ?? null,
      }));
      const reviewSql = (where: string) => `
        SELECT r.id, r.answer_id AS "answerId", r.source, r.state, r.scores, r.total, r.summary, r.published_at AS "publishedAt",
               CASE WHEN r.source = 'coach' THEN ru.name END AS "coachName",
               (SELECT coalesce(json_agg(json_build_object('at', c.at_s, 'text', c.text, 'tag', c.tag) ORDER BY c.at_s), '[]') FROM review_comments c WHERE c.review_id = r.id) AS comments
          FROM reviews r JOIN answers a ON a.id = r.answer_id LEFT JOIN users ru ON ru.id = r.reviewer_id
         WHERE ${where} ORDER BY r.published_at NULLS LAST`;
      const feedbackReceived = hidden ? [] : await q(reviewSql(`a.user_id = $1 AND r.state = 'published'`));
      const feedbackGiven = (await q<Record<string, unknown>>(reviewSql(`r.reviewer_id = $1 AND a.user_id <> $1`))).map(
        ({ coachName: _c, answerId: _a, ...r }) => ({ ...r, answer: "another participant's answer" }),
      );
      const recordings = hidden
        ? []
        : await q<{ id: string; answer_id: string; object_key: string; envelope: Envelope; container: string }>(
            `SELECT id, answer_id, object_key, envelope, container FROM recordings WHERE owner_id = $1 AND purpose = 'answer' AND status <> 'deleted' AND envelope IS NOT NULL`,
          );
      const withText = [];
      for (const rec of recordings) withText.push({ ...rec, ...(await this.transcriptFiles(m, rec.id)) });
      const data = {
        exportedAt: this.clock.now().toISOString(),
        profile: { ...profile, roles },
        licence: licence
          ? { ...licence, expiresOn: licence.expires_on, expires_on: undefined, hidden: undefined }
          : null,
        answersHidden: hidden
          ? `Your licence expired on ${licence?.expires_on}: your answers, recordings and feedback are hidden until your administrator extends it.`
          : null,
        groups: await q(
          `SELECT g.name, gm.role, gm.created_at AS "since" FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = $1 ORDER BY g.name`,
        ),
        enrolments: await q(
          `SELECT c.title AS course, to_char(e.starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(e.due_on, 'YYYY-MM-DD') AS "dueOn" FROM enrolments e JOIN courses c ON c.id = e.course_id WHERE e.user_id = $1`,
        ),
        answers: titled,
        feedbackReceived,
        feedbackGiven,
        privacyLog: await this.privacyLog.subjectExport(m, userId),
        // the provider's subject ids (tid, oid) stay out: administrators read exports too, and those ids
        // are what a forged token would need
        identities: await q(
          `SELECT issuer, created_at AS "linkedAt", last_used_at AS "lastUsedAt" FROM user_identities WHERE user_id = $1`,
        ),
        trustedDevices: await q(
          `SELECT label, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM trusted_devices WHERE user_id = $1 ORDER BY created_at`,
        ),
        sessions: await q(`SELECT expire AS "expiresAt" FROM sessions WHERE user_id = $1::text ORDER BY expire`),
        impersonations: await q(
          `SELECT reason, started_at AS "startedAt", ended_at AS "endedAt" FROM impersonations WHERE target_user_id = $1 ORDER BY started_at`,
        ),
        deletionReceipts: await q(
          `SELECT kind, created_at AS "createdAt", verified, counts FROM deletion_receipts WHERE subject_id = $1 ORDER BY created_at`,
        ),
        exports: await q(
          `SELECT state, created_at AS "createdAt", finished_at AS "finishedAt" FROM data_exports WHERE subject_id = $1 ORDER BY created_at`,
        ),
      };
      return { data, recordings: withText };
    });
  }

  private async transcriptFiles(
    m: EntityManager,
    recordingId: string,
  ): Promise<{ text: string | null; vtt: string | null }> {
    const [t]: { id: string; text: string }[] = await m.query(
      `SELECT id, text FROM transcripts WHERE recording_id = $1`,
      [recordingId],
    );
    if (!t) return { text: null, vtt: null };
    const words: { start_s: number; end_s: number; text: string; confidence: number | null }[] = await m.query(
      `SELECT start_s, end_s, text, confidence FROM transcript_words WHERE transcript_id = $1 ORDER BY idx`,
      [t.id],
    );
    return {
      text: t.text,
      vtt: toWebVtt(
        segmentsFromWords(
          words.map((w) => ({ start: w.start_s, end: w.end_s, text: w.text, confidence: w.confidence })),
        ),
      ),
    };
  }
}
