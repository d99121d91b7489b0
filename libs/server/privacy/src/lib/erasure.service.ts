import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccessService, Actor } from '@rehearse/server/access';
import { badRequest, conflict, notFound } from '@rehearse/server/core';
import { KeyVault, userKeyId } from '@rehearse/server/storage';
import { Shredded, Shredder } from './shredder';

/**
 * The right to be forgotten (policy in `user-data.ts`). An administrator of the user's tenant (on
 * the user's request) or a superuser erases a user: the profile, memberships, sessions, answers
 * with recordings, transcripts, search entries, AI reports and all feedback on them, and their
 * queued jobs go; feedback the user published on others' answers stays without their name; the
 * user's vault key is destroyed, so their recordings cannot be read from any backup either. The
 * receipt lists what went and whether the store confirmed each object gone.
 */
@Injectable()
export class ErasureService {
  private readonly logger = new Logger(ErasureService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly shredder: Shredder,
    private readonly vault: KeyVault,
  ) {}

  /** Erases a user; returns the receipt id. Administrators reach their own tenant's users, superusers any tenant's. */
  async erase(
    actor: Actor,
    userId: string,
    reason: string,
    confirmEmail: string,
  ): Promise<{ receiptId: string; verified: boolean }> {
    const superuser = actor.permissions.has('superuser.erase');
    const tenantId = superuser ? null : this.access.tenantOf(actor, 'User');
    const [u]: { id: string; tenant_id: string | null; email: string; is_superuser: boolean }[] = await this.db.query(
      `SELECT id, tenant_id, email, is_superuser FROM users WHERE id = $1 AND ($2::uuid IS NULL OR tenant_id = $2)`,
      [userId, tenantId],
    );
    if (!u) throw notFound('User');
    if (u.is_superuser || !u.tenant_id)
      throw conflict('Superusers are operator staff: remove them with the operator tools, not here');
    if (u.id === actor.userId) throw conflict('You cannot erase yourself here: ask another administrator');
    if (confirmEmail.toLowerCase() !== u.email)
      throw badRequest('validation_failed', 'Type the user’s e-mail address to confirm', [
        { field: 'confirmEmail', messages: ["does not match the user's e-mail address"] },
      ]);
    const shredded = await this.eraseUser(u.id, u.tenant_id);
    const receiptId = await this.shredder.receipt('erasure', u.tenant_id, u.id, shredded, {
      userId: actor.impersonatorId ?? actor.userId,
      reason,
    });
    return { receiptId, verified: shredded.objects.every((o) => o.verified) };
  }

  /** The erasure itself (also used by tenant destruction, one user at a time). */
  async eraseUser(userId: string, tenantId: string): Promise<Shredded> {
    // everything the user's queued jobs could name
    const [ids]: { ids: string[] }[] = await this.db.query(
      `SELECT ARRAY(
         SELECT $1::uuid::text UNION ALL SELECT id::text FROM answers WHERE user_id = $1::uuid
         UNION ALL SELECT id::text FROM recordings WHERE owner_id = $1 AND purpose = 'answer'
         UNION ALL SELECT r.id::text FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE a.user_id = $1
         UNION ALL SELECT id::text FROM reviews WHERE reviewer_id = $1
         UNION ALL SELECT id::text FROM mfa_challenges WHERE user_id = $1
         UNION ALL SELECT id::text FROM invitations WHERE user_id = $1
         UNION ALL SELECT id::text FROM data_exports WHERE subject_id = $1) AS ids`,
      [userId],
    );
    const objects: { id: string; object_key: string }[] = await this.db.query(
      `SELECT id, object_key FROM recordings WHERE owner_id = $1 AND purpose = 'answer' AND status <> 'deleted'
       UNION ALL SELECT id, object_key FROM data_exports WHERE subject_id = $1 AND object_key IS NOT NULL`,
      [userId],
    );
    const counts = await this.db.transaction(async (m) => {
      const count = async (sql: string) => ((await m.query(sql, [userId])) as { n: number }[])[0].n;
      const c: Record<string, number> = {
        answers: await count(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1`),
        recordings: await count(`SELECT count(*)::int AS n FROM recordings WHERE owner_id = $1 AND purpose = 'answer'`),
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
      if (gone !== 1) throw notFound('User');
      return c;
    });
    const keyDestroyed = await this.vault.destroy(userKeyId(userId));
    const jobs = await this.shredder.dropJobsNaming(new Set(ids.ids));
    const verified = await this.shredder.deleteObjects(objects.map((o) => o.object_key));
    this.logger.log(`erased user ${userId}: ${JSON.stringify(counts)}, ${verified.length} object(s), ${jobs} job(s)`);
    return { counts: { ...counts, keysDestroyed: keyDestroyed ? 1 : 0, queuedJobs: jobs }, objects: verified };
  }
}
