import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Queryable } from '@rehearse/server/database';
import { segmentsFromWords, toWebVtt } from '@rehearse/server/recordings';
import type { Envelope } from '@rehearse/server/storage';

/** A person's data for their export, and the recordings (with transcripts) to copy into it. */
export interface PersonExport {
  data: Record<string, unknown>;
  recordings: {
    answer_id: string;
    object_key: string;
    envelope: Envelope;
    container: string;
    text: string | null;
    vtt: string | null;
  }[];
}

/** Raised inside the erasure's transaction to roll it back. */
class PersonNotInOrganisation extends Error {}

/**
 * Everything of one person across the libraries' tables, for the right to be forgotten: who they
 * are, the ids their queued jobs could name, their stored objects, and the erasure itself in one
 * transaction. The one place that names every library's tables on purpose (privacy answers for
 * all of a person's data); its reads and deletes are counted in docs/table-access-baseline.json.
 */
@Injectable()
export class PersonFootprintRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The person (in the organisation, or any with `tenantId` null: a superuser's reach). */
  async person(
    tenantId: string | null,
    userId: string,
  ): Promise<{ id: string; tenant_id: string | null; email: string; is_superuser: boolean } | undefined> {
    const [u] = (await this.db.query(
      `SELECT id, tenant_id, email, is_superuser FROM users WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [userId, tenantId],
    )) as { id: string; tenant_id: string | null; email: string; is_superuser: boolean }[];
    return u;
  }

  /** Every id the person's queued jobs could name: theirs, their answers, recordings, reviews, codes, invitations, exports. */
  async idsNaming(userId: string): Promise<string[]> {
    const [ids] = (await this.db.query(
      `SELECT ARRAY(
         SELECT $1::uuid::text UNION ALL SELECT id::text FROM answers WHERE user_id = $1::uuid
         UNION ALL SELECT id::text FROM recordings WHERE owner_id = $1 AND purpose = 'answer'
         UNION ALL SELECT r.id::text FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE a.user_id = $1
         UNION ALL SELECT id::text FROM reviews WHERE reviewer_id = $1
         UNION ALL SELECT id::text FROM mfa_challenges WHERE user_id = $1
         UNION ALL SELECT id::text FROM invitations WHERE user_id = $1
         UNION ALL SELECT id::text FROM data_exports WHERE subject_id = $1) AS ids`,
      [userId],
    )) as { ids: string[] }[];
    return ids.ids;
  }

  /** The person's stored objects: answer recordings not deleted yet, and exports of their data. */
  async storedObjects(userId: string): Promise<{ id: string; object_key: string }[]> {
    return (await this.db.query(
      `SELECT id, object_key FROM recordings WHERE owner_id = $1 AND purpose = 'answer' AND status <> 'deleted'
       UNION ALL SELECT id, object_key FROM data_exports WHERE subject_id = $1 AND object_key IS NOT NULL`,
      [userId],
    )) as { id: string; object_key: string }[];
  }

  /**
   * Erases the person in one transaction and counts what went: their prompt media stays unowned,
   * their unfinished reviews of others go, their sessions end, and the answers (with everything
   * hanging on them) and the profile (with everything hanging on it) go by cascade. Undefined when
   * the person was not in the organisation (nothing changed).
   */
  async erase(tenantId: string, userId: string): Promise<Record<string, number> | undefined> {
    try {
      return await this.db.transaction(async (m) => {
        const count = async (sql: string) => ((await m.query(sql, [userId])) as { n: number }[])[0].n;
        const c: Record<string, number> = {
          answers: await count(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1`),
          recordings: await count(
            `SELECT count(*)::int AS n FROM recordings WHERE owner_id = $1 AND purpose = 'answer'`,
          ),
          transcripts: await count(
            `SELECT count(*)::int AS n FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE r.owner_id = $1 AND r.purpose = 'answer'`,
          ),
          feedbackReceived: await count(
            `SELECT count(*)::int AS n FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE a.user_id = $1`,
          ),
          feedbackGivenAnonymised: await count(
            `SELECT count(*)::int AS n FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE r.reviewer_id = $1 AND r.state = 'published' AND a.user_id <> $1`,
          ),
          sessions: await count(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1::text`),
          exports: await count(`SELECT count(*)::int AS n FROM data_exports WHERE subject_id = $1`),
        };
        // prompt media the user uploaded belongs to the course: it stays, unowned
        await m.query(`UPDATE recordings SET owner_id = NULL WHERE owner_id = $1 AND purpose = 'prompt'`, [userId]);
        // their unfinished reviews of others go; published ones lose the name (ON DELETE SET NULL)
        c['feedbackDraftsDeleted'] = (
          await m.query(`DELETE FROM reviews WHERE reviewer_id = $1 AND state <> 'published' RETURNING id`, [userId])
        )[1] as number;
        await m.query(`DELETE FROM sessions WHERE user_id = $1::text OR impersonator_id = $1::text`, [userId]);
        // answers (→ recordings, transcripts, words, passages, AI reports, shares, reviews, comments) and the
        // profile (→ memberships, licence, codes, devices, invitations, group memberships, enrolments) by cascade
        await m.query(`DELETE FROM answers WHERE user_id = $1`, [userId]);
        await m.query(`DELETE FROM recordings WHERE owner_id = $1`, [userId]);
        const [, gone] = await m.query(`DELETE FROM users WHERE id = $1 AND tenant_id = $2`, [userId, tenantId]);
        // not in the organisation: nothing of the above may stay done
        if (gone !== 1) throw new PersonNotInOrganisation();
        return c;
      });
    } catch (e) {
      if (e instanceof PersonNotInOrganisation) return undefined;
      throw e;
    }
  }

  /**
   * Everything about the person, by section (the sections `USER_DATA` names), read in the caller's
   * transaction (a REPEATABLE READ one gives one consistent picture), with their recordings to
   * copy and each one's transcript as text and captions. Answers of an expired licence (as of
   * `today`) are left out, as everywhere else. Undefined when the person is not in the organisation.
   */
  async exportOf(
    tenantId: string,
    userId: string,
    today: string,
    now: Date,
    privacyLog: unknown,
    m: Queryable,
  ): Promise<PersonExport | undefined> {
    const q = <T>(sql: string, params: unknown[] = [userId]): Promise<T[]> => m.query(sql, params) as Promise<T[]>;
    const [profile] = await q<Record<string, unknown>>(
      `SELECT id, email, name, phone, status, totp_enabled AS "authenticatorApp", created_at AS "createdAt", last_sign_in_at AS "lastSignInAt", password_changed_at AS "passwordChangedAt" FROM users WHERE id = $1 AND tenant_id = $2`,
      [userId, tenantId],
    );
    if (!profile) return undefined;
    const roles = (await q<{ role: string }>(`SELECT role FROM memberships WHERE user_id = $1 ORDER BY role`)).map(
      (r) => r.role,
    );
    const [licence] = await q<{ expires_on: string; hidden: boolean }>(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(expires_on, 'YYYY-MM-DD') AS expires_on, expires_on <= $2::date AS hidden,
              keep_status AS "keepStatus", to_char(keep_until, 'YYYY-MM-DD') AS "keepUntil", media_deleted_at AS "recordingsDeletedAt"
         FROM licences WHERE user_id = $1`,
      [userId, today],
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
    for (const rec of recordings) withText.push({ ...rec, ...(await this.transcriptFiles(tenantId, rec.id, m)) });
    const data = {
      exportedAt: now.toISOString(),
      profile: { ...profile, roles },
      licence: licence ? { ...licence, expiresOn: licence.expires_on, expires_on: undefined, hidden: undefined } : null,
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
      privacyLog,
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
  }

  private async transcriptFiles(
    tenantId: string,
    recordingId: string,
    m: Queryable,
  ): Promise<{ text: string | null; vtt: string | null }> {
    const [t] = (await m.query(`SELECT id, text FROM transcripts WHERE recording_id = $1 AND tenant_id = $2`, [
      recordingId,
      tenantId,
    ])) as { id: string; text: string }[];
    if (!t) return { text: null, vtt: null };
    const words = (await m.query(
      `SELECT start_s, end_s, text, confidence FROM transcript_words WHERE transcript_id = $1 ORDER BY idx`,
      [t.id],
    )) as { start_s: number; end_s: number; text: string; confidence: number | null }[];
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
