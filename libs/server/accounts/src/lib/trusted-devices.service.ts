import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TrustedDevice } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, notFound, SecretBox } from '@rehearse/server/core';

/**
 * "Trust this device for 90 days": a 256-bit random token in its own cookie, stored as a keyed
 * hash, bound to one user and to the user's security stamp (which every password or second-factor
 * change rotates), listed and revocable.
 */
@Injectable()
export class TrustedDevicesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  async create(
    userId: string,
    tenantId: string | null,
    securityStamp: string,
    userAgent: string,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.TRUSTED_DEVICE_DAYS * 86_400_000);
    await this.db.query(
      `INSERT INTO trusted_devices (user_id, tenant_id, token_hash, label, security_stamp, expires_at, created_at, last_used_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$7)`,
      [
        userId,
        tenantId,
        this.box.hash(token, 'trusted-device'),
        describeAgent(userAgent),
        securityStamp,
        expiresAt,
        now,
      ],
    );
    return { token, expiresAt };
  }

  /** True when the token is a live device of exactly this user with the current stamp. */
  async isTrusted(token: string | undefined, userId: string, securityStamp: string): Promise<boolean> {
    if (!token || token.length > 100) return false;
    const now = this.clock.now();
    const [rows]: [{ id: string }[], number] = await this.db.query(
      `UPDATE trusted_devices SET last_used_at = $4
        WHERE token_hash = $1 AND user_id = $2 AND security_stamp = $3 AND revoked_at IS NULL AND expires_at > $4
        RETURNING id`,
      [this.box.hash(token, 'trusted-device'), userId, securityStamp, now],
    );
    return rows.length === 1;
  }

  async list(userId: string, currentToken: string | undefined): Promise<TrustedDevice[]> {
    const currentHash = currentToken ? this.box.hash(currentToken, 'trusted-device') : '';
    const rows: {
      id: string;
      label: string;
      created_at: Date;
      last_used_at: Date | null;
      expires_at: Date;
      token_hash: string;
    }[] = await this.db.query(
      `SELECT d.id, d.label, d.created_at, d.last_used_at, d.expires_at, d.token_hash
           FROM trusted_devices d JOIN users u ON u.id = d.user_id
          WHERE d.user_id = $1 AND d.revoked_at IS NULL AND d.expires_at > $2 AND d.security_stamp = u.security_stamp
          ORDER BY d.created_at DESC`,
      [userId, this.clock.now()],
    );
    return rows.map((r) => ({
      id: r.id,
      label: r.label,
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      expiresAt: r.expires_at.toISOString(),
      current: r.token_hash === currentHash,
    }));
  }

  async revoke(userId: string, id: string): Promise<void> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE trusted_devices SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [id, userId, this.clock.now()],
    );
    if (n !== 1) throw notFound('Trusted device');
  }

  async revokeAll(userId: string): Promise<void> {
    await this.db.query(`UPDATE trusted_devices SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
      this.clock.now(),
    ]);
  }
}

function describeAgent(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /iPhone|iPad/.test(ua)
          ? 'iOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'unknown system';
  return `${browser} on ${os}`;
}
