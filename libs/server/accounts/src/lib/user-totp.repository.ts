import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { rows, run, typed } from '@rehearse/server/database';

/**
 * The statements on a person's authenticator-app columns of `users` (owned by accounts). Each
 * method takes the tenant first (null: a superuser) and reaches that person only within it.
 */
@Injectable()
export class UserTotpRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async secretOf(
    tenantId: string | null,
    userId: string,
  ): Promise<{ totp_secret_sealed: string | null; totp_last_step: string | null } | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('users')
        .select(['totp_secret_sealed', 'totp_last_step'])
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
    return row;
  }

  /** Accepts a time step once: whether it is later than the last one accepted (no replay). */
  async acceptStep(tenantId: string | null, userId: string, step: number): Promise<boolean> {
    const { count } = await run(
      this.db,
      typed
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))])),
    );
    return count === 1;
  }

  /** A new secret, sealed, not yet enabled. */
  async start(tenantId: string | null, userId: string, sealedSecret: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({ totp_secret_sealed: sealedSecret, totp_enabled: false, totp_last_step: null })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }

  /** Enables the app and rotates the security stamp (trusted devices made before it die). */
  async enable(tenantId: string | null, userId: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({ totp_enabled: true, security_stamp: sql<string>`gen_random_uuid()` })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }

  /** Removes the app and its secret, and rotates the security stamp. */
  async disable(tenantId: string | null, userId: string): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('users')
        .set({
          totp_enabled: false,
          totp_secret_sealed: null,
          totp_last_step: null,
          security_stamp: sql<string>`gen_random_uuid()`,
        })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('id', '=', userId),
    );
  }
}
