import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** An invitation found by its link, with what the invitation page shows. */
export interface InvitationByToken {
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

/** What the mail with the link needs of its invitation. */
export interface InvitationForMail {
  tenant_id: string;
  user_id: string;
  token_sealed: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Every statement of accounts on `invitations`. Each method takes the tenant first and the
 * caller's transaction last, except the look-up by a link's token: before anyone is signed in,
 * the secret token is what names the invitation, and its tenant comes with it.
 */
@Injectable()
export class InvitationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Uses up the user's open invitations (a new link makes older ones useless). */
  async useOpen(tenantId: string, userId: string, now: Date, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .updateTable('invitations')
        .set({ used_at: now, token_sealed: null })
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null),
    );
  }

  /** A new invitation without its sealed token yet (the seal is bound to the id): its id. */
  async insert(
    tenantId: string,
    invitation: { userId: string; tokenHash: string; expiresAt: Date; createdBy: string | null; now: Date },
    m: Queryable = this.db,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('invitations')
        .values({
          tenant_id: tenantId,
          user_id: invitation.userId,
          token_hash: invitation.tokenHash,
          expires_at: invitation.expiresAt,
          created_by: invitation.createdBy,
          created_at: invitation.now,
        })
        .returning('id'),
    );
    return row.id;
  }

  /**
   * New invitations of people who have none open (just made), with their sealed tokens (each
   * sealed to its id, chosen by the caller): one statement whatever their number.
   */
  async insertMany(
    tenantId: string,
    invitations: readonly { id: string; userId: string; tokenHash: string; tokenSealed: string }[],
    common: { expiresAt: Date; createdBy: string | null; now: Date },
    m: Queryable = this.db,
  ): Promise<void> {
    if (!invitations.length) return;
    await run(
      m,
      typed
        .insertInto('invitations')
        .columns(['id', 'tenant_id', 'user_id', 'token_hash', 'token_sealed', 'expires_at', 'created_by', 'created_at'])
        .expression(
          sql`SELECT i.id, ${tenantId}::uuid, i.user_id, i.token_hash, i.token_sealed, ${common.expiresAt}::timestamptz, ${common.createdBy}::uuid, ${common.now}::timestamptz
                FROM unnest(${invitations.map((i) => i.id)}::uuid[], ${invitations.map((i) => i.userId)}::uuid[], ${invitations.map((i) => i.tokenHash)}::text[], ${invitations.map((i) => i.tokenSealed)}::text[]) AS i(id, user_id, token_hash, token_sealed)`,
        ),
    );
  }

  async setSealedToken(tenantId: string, id: string, sealed: string, m: Queryable = this.db): Promise<void> {
    await run(
      m,
      typed
        .updateTable('invitations')
        .set({ token_sealed: sealed })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id),
    );
  }

  /**
   * The invitation an accepted link's token names (by its hash), with its person and organisation.
   * @withoutTenant the link's token is all an invited person has before they sign in
   */
  async findByTokenHash(tokenHash: string): Promise<InvitationByToken | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('invitations as i')
        .innerJoin('users as u', 'u.id', 'i.user_id')
        .innerJoin('tenants as t', 't.id', 'i.tenant_id')
        .select([
          'i.id',
          'i.user_id',
          'i.tenant_id',
          'i.expires_at',
          'i.used_at',
          'u.email',
          'u.name',
          'u.status',
          't.name as tenant_name',
          't.require_password_complexity',
        ])
        .where('i.token_hash', '=', tokenHash),
    );
    return row;
  }

  /** Uses the invitation up; whether it was still open (a link works once). */
  async use(tenantId: string, id: string, now: Date, m: Queryable = this.db): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('invitations')
        .set({ used_at: now, token_sealed: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('used_at', 'is', null),
    );
    return count === 1;
  }

  /**
   * An invitation as its mail job names it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(id: string): Promise<InvitationForMail | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('invitations')
        .select(['tenant_id', 'user_id', 'token_sealed', 'expires_at', 'used_at'])
        .where('id', '=', id),
    );
    return row;
  }

  /**
   * Invitations whose e-mail has not gone out (the sealed token is forgotten once it is sent):
   * made before `madeBefore`, neither used nor expired, of a person still invited. The oldest
   * first, at most `limit`.
   * @withoutTenant the worker's sweep serves every organisation; each id names its own
   */
  async unsent(madeBefore: Date, now: Date, limit: number, m: Queryable = this.db): Promise<string[]> {
    const found = await rows(
      m,
      typed
        .selectFrom('invitations as i')
        .innerJoin('users as u', (j) => j.onRef('u.id', '=', 'i.user_id').onRef('u.tenant_id', '=', 'i.tenant_id'))
        .select('i.id')
        .where('i.token_sealed', 'is not', null)
        .where('i.used_at', 'is', null)
        .where('i.expires_at', '>', now)
        .where('i.created_at', '<', madeBefore)
        .where('u.status', '=', 'invited')
        .orderBy('i.created_at')
        .limit(limit),
    );
    return found.map((r) => r.id);
  }

  /**
   * The mail with the link is sent (`at`): the sealed token is forgotten (only its hash stays, for
   * the look-up), and when it went is kept for the administrator's page.
   */
  async markMailed(tenantId: string, id: string, at: Date): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('invitations')
        .set({ token_sealed: null, mailed_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id),
    );
  }

  /** The person's open invitation (not used, not replaced): when its link was e-mailed (null: not yet) and until when it works. */
  async openOf(
    tenantId: string,
    userId: string,
    m: Queryable = this.db,
  ): Promise<{ mailed_at: Date | null; expires_at: Date } | undefined> {
    const [row] = await rows(
      m,
      typed
        .selectFrom('invitations')
        .select(['mailed_at', 'expires_at'])
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(1),
    );
    return row;
  }
}
