import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** What a code check needs of its challenge, after counting the attempt. */
export interface CountedChallenge {
  code_hash: string;
  expires_at: Date;
  attempts: number;
}

/** What the mail with the code needs of its challenge. */
export interface ChallengeForMail {
  tenant_id: string | null;
  user_id: string;
  code_sealed: string | null;
  expires_at: Date;
  consumed_at: Date | null;
}

/**
 * Every statement of accounts on `mfa_challenges` (e-mailed sign-in codes). Each method takes the
 * tenant first (null: a person outside any organisation) and `m`, the caller's transaction, last.
 */
@Injectable()
export class MfaChallengesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Ends the user's open challenges (a new code makes the older ones useless). */
  async consumeOpen(tenantId: string | null, userId: string, now: Date, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .updateTable('mfa_challenges')
        .set({ consumed_at: now, code_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('user_id', '=', userId)
        .where('consumed_at', 'is', null),
    );
  }

  /** A new challenge without its code yet (the code is bound to the id): its id. */
  async insert(
    tenantId: string | null,
    challenge: { userId: string; expiresAt: Date; now: Date },
    m: Queryable = this.db,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('mfa_challenges')
        .values({
          tenant_id: tenantId,
          user_id: challenge.userId,
          code_hash: '',
          expires_at: challenge.expiresAt,
          created_at: challenge.now,
        })
        .returning('id'),
    );
    return row.id;
  }

  async setCode(
    tenantId: string | null,
    id: string,
    code: { hash: string; sealed: string },
    m: Queryable = this.db,
  ): Promise<void> {
    await run(
      m,
      typed
        .updateTable('mfa_challenges')
        .set({ code_hash: code.hash, code_sealed: code.sealed })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id),
    );
  }

  /** Counts one attempt on the user's open challenge; the challenge, or undefined when there is none. */
  async countAttempt(tenantId: string | null, id: string, userId: string): Promise<CountedChallenge | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .updateTable('mfa_challenges')
        .set({ attempts: sql<number>`attempts + 1` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('consumed_at', 'is', null)
        .returning(['code_hash', 'expires_at', 'attempts']),
    );
    return row;
  }

  /** Uses the challenge up; whether it was still open (a code counts once). */
  async consume(tenantId: string | null, id: string, now: Date): Promise<boolean> {
    const { count } = await run(
      this.db,
      typed
        .updateTable('mfa_challenges')
        .set({ consumed_at: now, code_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id)
        .where('consumed_at', 'is', null),
    );
    return count === 1;
  }

  /**
   * A challenge as its mail job names it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(id: string): Promise<ChallengeForMail | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('mfa_challenges')
        .select(['tenant_id', 'user_id', 'code_sealed', 'expires_at', 'consumed_at'])
        .where('id', '=', id),
    );
    return row;
  }

  /** Forgets the sealed code once the mail with it is sent (only its hash stays, for the check). */
  async clearSealedCode(tenantId: string | null, id: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('mfa_challenges')
        .set({ code_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id),
    );
  }
}
