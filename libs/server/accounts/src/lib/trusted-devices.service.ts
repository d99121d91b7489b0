import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { TrustedDevice } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, notFound, SecretBox } from '@rehearse/server/core';
import type { Queryable } from '@rehearse/server/database';
import { TrustedDevicesRepository } from './trusted-devices.repository';
import { describeAgent } from './user-agent';

/**
 * "Trust this device for 90 days": a 256-bit random token in its own cookie, stored as a keyed
 * hash, bound to one user and to the user's security stamp (which every password or second-factor
 * change rotates), listed and revocable.
 */
@Injectable()
export class TrustedDevicesService {
  constructor(
    private readonly devices: TrustedDevicesRepository,
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
    await this.devices.insert(tenantId, {
      userId,
      tokenHash: this.box.hash(token, 'trusted-device'),
      label: describeAgent(userAgent),
      securityStamp,
      expiresAt,
      now,
    });
    return { token, expiresAt };
  }

  /** True when the token is a live device of exactly this user with the current stamp. */
  async isTrusted(
    tenantId: string | null,
    token: string | undefined,
    userId: string,
    securityStamp: string,
  ): Promise<boolean> {
    if (!token || token.length > 100) return false;
    return this.devices.touchLive(tenantId, {
      userId,
      tokenHash: this.box.hash(token, 'trusted-device'),
      securityStamp,
      now: this.clock.now(),
    });
  }

  async list(tenantId: string | null, userId: string, currentToken: string | undefined): Promise<TrustedDevice[]> {
    const currentHash = currentToken ? this.box.hash(currentToken, 'trusted-device') : '';
    const live = await this.devices.listLive(tenantId, userId, this.clock.now());
    return live.map((r) => ({
      id: r.id,
      label: r.label,
      createdAt: r.created_at.toISOString(),
      lastUsedAt: r.last_used_at?.toISOString() ?? null,
      expiresAt: r.expires_at.toISOString(),
      current: r.token_hash === currentHash,
    }));
  }

  async revoke(tenantId: string | null, userId: string, id: string): Promise<void> {
    if ((await this.devices.revoke(tenantId, userId, this.clock.now(), id)) !== 1) throw notFound('Trusted device');
  }

  /** Revokes every device of the user (inside the caller's transaction when `m` is given). */
  async revokeAll(tenantId: string | null, userId: string, m?: Queryable): Promise<void> {
    await this.devices.revoke(tenantId, userId, this.clock.now(), undefined, m);
  }
}
