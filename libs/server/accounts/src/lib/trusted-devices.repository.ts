import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A trusted device as listed to its owner. */
export interface TrustedDeviceRow {
  id: string;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  token_hash: string;
}

/**
 * Every statement on `trusted_devices` (owned by accounts). Each method takes the tenant first
 * (null: a superuser, who has none) and never reaches another tenant's rows.
 */
@Injectable()
export class TrustedDevicesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(
    tenantId: string | null,
    device: { userId: string; tokenHash: string; label: string; securityStamp: string; expiresAt: Date; now: Date },
  ): Promise<void> {
    await run(
      this.db,
      typed.insertInto('trusted_devices').values({
        tenant_id: tenantId,
        user_id: device.userId,
        token_hash: device.tokenHash,
        label: device.label,
        security_stamp: device.securityStamp,
        expires_at: device.expiresAt,
        created_at: device.now,
        last_used_at: device.now,
      }),
    );
  }

  /** Marks the device used when it is a live one of this user with this stamp; whether it was. */
  async touchLive(
    tenantId: string | null,
    device: { userId: string; tokenHash: string; securityStamp: string; now: Date },
  ): Promise<boolean> {
    const touched = await rows(
      this.db,
      typed
        .updateTable('trusted_devices')
        .set({ last_used_at: device.now })
        .where('tenant_id', 'is not distinct from', tenantId)
        .where('token_hash', '=', device.tokenHash)
        .where('user_id', '=', device.userId)
        .where('security_stamp', '=', device.securityStamp)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', device.now)
        .returning('id'),
    );
    return touched.length === 1;
  }

  /** The user's live devices (not revoked, not expired, made under the current security stamp), newest first. */
  listLive(tenantId: string | null, userId: string, now: Date): Promise<TrustedDeviceRow[]> {
    return rows(
      this.db,
      typed
        .selectFrom('trusted_devices as d')
        .innerJoin('users as u', 'u.id', 'd.user_id')
        .select(['d.id', 'd.label', 'd.created_at', 'd.last_used_at', 'd.expires_at', 'd.token_hash'])
        .where('d.tenant_id', 'is not distinct from', tenantId)
        .where('d.user_id', '=', userId)
        .where('d.revoked_at', 'is', null)
        .where('d.expires_at', '>', now)
        .whereRef('d.security_stamp', '=', 'u.security_stamp')
        .orderBy('d.created_at', 'desc'),
    );
  }

  /** Revokes one device of the user, or all of them (`id` left out); how many were live. */
  async revoke(
    tenantId: string | null,
    userId: string,
    now: Date,
    id?: string,
    m: Queryable = this.db,
  ): Promise<number> {
    let statement = typed
      .updateTable('trusted_devices')
      .set({ revoked_at: now })
      .where('tenant_id', 'is not distinct from', tenantId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (id !== undefined) statement = statement.where('id', '=', id);
    return (await run(m, statement)).count;
  }
}
