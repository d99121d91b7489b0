import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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
}
