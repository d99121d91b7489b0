import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/**
 * The statements of accounts on a person's row in `users` (the authenticator app's columns are
 * UserTotpRepository's). Each method takes the tenant first (null: a superuser) and reaches the
 * person only within it.
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the person belongs to the organisation. */
  async exists(tenantId: string | null, userId: string): Promise<boolean> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select(sql<number>`1`.as('one'))
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return found.length === 1;
  }

  /** The person's password hash (null: none set yet); undefined when there is no such person. */
  async passwordHashOf(tenantId: string | null, userId: string): Promise<string | null | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select('password_hash')
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return row?.password_hash;
  }

  /**
   * A new password hash, changed at `at`; the security stamp rotates, so trusted devices made
   * before it die. `activate`: an invited person's first password also makes the account active.
   * Whether the person was found.
   */
  async setPassword(
    tenantId: string | null,
    userId: string,
    hash: string,
    at: Date,
    { activate = false }: { activate?: boolean } = {},
    m: Queryable = this.db,
  ): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('users')
        .set({
          password_hash: hash,
          password_changed_at: at,
          security_stamp: sql<string>`gen_random_uuid()`,
          updated_at: sql<Date>`now()`,
          ...(activate ? { status: 'active' } : {}),
        })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return count === 1;
  }
}
