import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type PendingNotice, SecurityNotices } from './security-notices';
import { SessionsService } from './sessions.service';
import { TrustedDevicesService } from './trusted-devices.service';
import { UsersRepository } from './users.repository';

/**
 * A person's new password and what follows it, whichever way it was set (their own change on the
 * account page, a reset link): their trusted devices are forgotten, their sessions end (all, or all
 * but the one that made the change) and a notice is recorded, in the change's transaction; the
 * notice is mailed once that has committed (`announce`). One place, so that a way of setting a
 * password added later cannot forget one of them.
 */
@Injectable()
export class NewPassword {
  constructor(
    private readonly users: UsersRepository,
    private readonly devices: TrustedDevicesService,
    private readonly sessions: SessionsService,
    private readonly notices: SecurityNotices,
  ) {}

  /**
   * Sets the password's `hash` in `m`, with all that follows it; the notice to announce after the
   * commit, or null when the person is gone (nothing was changed).
   */
  async set(
    m: EntityManager,
    tenantId: string | null,
    userId: string,
    hash: string,
    at: Date,
    keepSessionId?: string,
  ): Promise<PendingNotice | null> {
    if (!(await this.users.setPassword(tenantId, userId, hash, at, {}, m))) return null;
    await this.devices.revokeAll(tenantId, userId, m);
    await this.sessions.endAllForUser(userId, keepSessionId, m);
    return this.notices.record(m, tenantId, userId, 'password-changed');
  }

  /** Mails the notice of a committed change (never throws: what the queue cannot take, the sweep sends). */
  announce(notice: PendingNotice): Promise<void> {
    return this.notices.queue(notice);
  }
}
