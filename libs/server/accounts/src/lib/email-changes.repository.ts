import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A change found by its link, with whose address it changes and what the page shows. */
export interface EmailChangeByToken {
  id: string;
  user_id: string;
  tenant_id: string | null;
  new_email: string;
  expires_at: Date;
  used_at: Date | null;
  name: string;
  status: string;
  tenant_name: string | null;
}

/** What the mails of a change need of it: the link (to the new address) and, once confirmed, the old address's notice. */
export interface EmailChangeForMail {
  tenant_id: string | null;
  user_id: string;
  new_email: string;
  previous_email: string | null;
  token_sealed: string | null;
  expires_at: Date;
  used_at: Date | null;
  confirmed_at: Date | null;
}

/** A change that waits for its new address to confirm it. */
export interface OpenEmailChange {
  new_email: string;
  expires_at: Date;
}

/**
 * Every statement of accounts on `email_changes`: a person's change of their own e-mail address,
 * waiting for the new address to confirm it. As invitations and password resets, the token is
 * stored hashed (and sealed only until its mail is sent), and each method takes the tenant first
 * (null for a superuser, of no organisation), but the look-ups by a link's token and by a mail job's id.
 */
@Injectable()
export class EmailChangesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Uses up the person's open changes (a new request replaces an older one, and so can a cancel). */
  async useOpen(tenantId: string | null, userId: string, now: Date, m: Queryable = this.db): Promise<number> {
    const { count } = await run(
      m,
      typed
        .updateTable('email_changes')
        .set({ used_at: now, token_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null),
    );
    return count;
  }

  /** A new change waiting for its link; its id. `sealedToken` seals the token for the new id (the id is bound into the seal). */
  async insert(
    tenantId: string | null,
    change: {
      userId: string;
      newEmail: string;
      tokenHash: string;
      sealedToken: (id: string) => string;
      expiresAt: Date;
      now: Date;
    },
    m: Queryable,
  ): Promise<string> {
    // the id made here, so that the token is sealed for it in the same statement
    const id = randomUUID();
    await run(
      m,
      typed.insertInto('email_changes').values({
        id,
        tenant_id: tenantId,
        user_id: change.userId,
        new_email: change.newEmail,
        token_hash: change.tokenHash,
        expires_at: change.expiresAt,
        created_at: change.now,
        token_sealed: change.sealedToken(id),
      }),
    );
    return id;
  }

  /** The person's change still waiting for its link (not used, not expired at `now`), if any. */
  async open(tenantId: string | null, userId: string, now: Date): Promise<OpenEmailChange | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('email_changes')
        .select(['new_email', 'expires_at'])
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .limit(1),
    );
    return row;
  }

  /**
   * The change a link's token names (by its hash), with its person and organisation.
   * @withoutTenant the link's token is all the new address's mailbox has
   */
  async findByTokenHash(tokenHash: string): Promise<EmailChangeByToken | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('email_changes as c')
        .innerJoin('users as u', 'u.id', 'c.user_id')
        .leftJoin('tenants as t', 't.id', 'c.tenant_id')
        .select([
          'c.id',
          'c.user_id',
          'c.tenant_id',
          'c.new_email',
          'c.expires_at',
          'c.used_at',
          'u.name',
          'u.status',
          't.name as tenant_name',
        ])
        .where('c.token_hash', '=', tokenHash)
        .where((eb) => eb('u.tenant_id', 'is not distinct from', eb.ref('c.tenant_id'))),
    );
    return row;
  }

  /**
   * Uses the link up and records the address it replaces; whether it was still open and unexpired
   * at `now` (a link works once).
   */
  async confirm(tenantId: string | null, id: string, previousEmail: string, now: Date, m: Queryable): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('email_changes')
        .set({ used_at: now, confirmed_at: now, previous_email: previousEmail, token_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now),
    );
    return count === 1;
  }

  /**
   * A change as its mail jobs name it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(id: string): Promise<EmailChangeForMail | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('email_changes')
        .select([
          'tenant_id',
          'user_id',
          'new_email',
          'previous_email',
          'token_sealed',
          'expires_at',
          'used_at',
          'confirmed_at',
        ])
        .where('id', '=', id),
    );
    return row;
  }

  /** Forgets the sealed token once the mail with the link is sent (only its hash stays, for the look-up). */
  async clearSealedToken(tenantId: string | null, id: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('email_changes')
        .set({ token_sealed: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id),
    );
  }

  /** Forgets the replaced address once the notice to it is sent (nothing keeps an old address after that). */
  async forgetPreviousEmail(tenantId: string | null, id: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('email_changes')
        .set({ previous_email: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', id),
    );
  }
}
