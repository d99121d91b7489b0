import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A reset found by its link, with whose password it sets and what the page shows. */
export interface PasswordResetByToken {
  id: string;
  user_id: string;
  tenant_id: string;
  expires_at: Date;
  used_at: Date | null;
  email: string;
  name: string;
  status: string;
  tenant_name: string;
  require_password_complexity: boolean;
}

/** What the mail with the link needs of its reset. */
export interface PasswordResetForMail {
  tenant_id: string;
  user_id: string;
  token_sealed: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Every statement of accounts on `password_resets`: the links that let a person who forgot their
 * password choose a new one. As invitations, the token is stored hashed (and sealed only until its
 * mail is sent), and each method takes the tenant first, but the look-ups by a link's token and by
 * a mail job's id.
 */
@Injectable()
export class PasswordResetsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Uses up the person's open reset links (a new link makes older ones useless, and so does a new password). */
  async useOpen(tenantId: string, userId: string, now: Date, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .updateTable('password_resets')
        .set({ used_at: now, token_sealed: null })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null),
    );
  }

  /** A new reset link; its id. `sealedToken` seals the token for the new id (the id is bound into the seal). */
  async insert(
    tenantId: string,
    reset: { userId: string; tokenHash: string; sealedToken: (id: string) => string; expiresAt: Date; now: Date },
    m: Queryable,
  ): Promise<string> {
    // the id made here, so that the token is sealed for it in the same statement
    const id = randomUUID();
    await run(
      m,
      typed.insertInto('password_resets').values({
        id,
        tenant_id: tenantId,
        user_id: reset.userId,
        token_hash: reset.tokenHash,
        expires_at: reset.expiresAt,
        created_at: reset.now,
        token_sealed: reset.sealedToken(id),
      }),
    );
    return id;
  }

  /**
   * The reset a link's token names (by its hash), with its person and organisation.
   * @withoutTenant the link's token is all a person who forgot their password has
   */
  async findByTokenHash(tokenHash: string): Promise<PasswordResetByToken | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('password_resets as r')
        .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'r.user_id').onRef('u.tenant_id', '=', 'r.tenant_id'))
        .innerJoin('tenants as t', 't.id', 'r.tenant_id')
        .select([
          'r.id',
          'r.user_id',
          'r.tenant_id',
          'r.expires_at',
          'r.used_at',
          'u.email',
          'u.name',
          'u.status',
          't.name as tenant_name',
          't.require_password_complexity',
        ])
        .where('r.token_hash', '=', tokenHash),
    );
    return row;
  }

  /** Uses the link up; whether it was still open and unexpired at `now` (a link works once). */
  async use(tenantId: string, id: string, now: Date, m: Queryable): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('password_resets')
        .set({ used_at: now, token_sealed: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now),
    );
    return count === 1;
  }

  /**
   * A reset as its mail job names it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(id: string): Promise<PasswordResetForMail | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('password_resets')
        .select(['tenant_id', 'user_id', 'token_sealed', 'expires_at', 'used_at'])
        .where('id', '=', id),
    );
    return row;
  }

  /** Forgets the sealed token once the mail with the link is sent (only its hash stays, for the look-up). */
  async clearSealedToken(tenantId: string, id: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('password_resets')
        .set({ token_sealed: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id),
    );
  }
}
