import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import type { EmailChangeInfo } from '@rehearse/shared/contracts';
import { AppError, Clock, SecretBox } from '@rehearse/server/core';
import { clientKey } from './client-address';
import { addressTaken } from './email-change.service';
import { EmailChangesRepository } from './email-changes.repository';
import { LoginThrottle } from './login-throttle';
import { SecurityNotices } from './security-notices';
import { UsersRepository } from './users.repository';

const invalidLink = () =>
  new AppError(
    HttpStatus.NOT_FOUND,
    'invalid_token',
    'This link to confirm an e-mail address is not valid any more (used, replaced, cancelled or expired). Change the address again from your account page.',
  );

/**
 * The link mailed to a new e-mail address (EmailChangeService): what it is for, and its use, which
 * makes the new address the person's sign-in address and tells the old one. Nobody need be signed
 * in; guessing links is throttled per client address.
 */
@Injectable()
export class EmailChangeLinks {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    private readonly notices: SecurityNotices,
    private readonly changes: EmailChangesRepository,
    private readonly users: UsersRepository,
  ) {}

  /** A live link (not used, not expired, its person active), or 404; guessing links is throttled per client address. */
  private findLive(token: string, req: Request) {
    return this.throttle.liveLink(
      'email-link',
      clientKey(req.ip),
      () => this.changes.findByTokenHash(this.box.hash(token, 'email-change')),
      (c) => !c.used_at && c.expires_at > this.clock.now() && c.status === 'active',
      invalidLink,
    );
  }

  async info(token: string, req: Request): Promise<EmailChangeInfo> {
    const c = await this.findLive(token, req);
    return { email: c.new_email, name: c.name, tenantName: c.tenant_name, expiresAt: c.expires_at.toISOString() };
  }

  /**
   * The new address confirms: it becomes the sign-in address (trusted devices die with the
   * security stamp), the link is spent, and the old address is told. 409 when someone else in the
   * organisation took the address in the meantime.
   */
  async confirm(token: string, req: Request): Promise<void> {
    const c = await this.findLive(token, req);
    const notice = await this.db
      .transaction(async (m) => {
        const now = this.clock.now();
        if (await this.users.emailTaken(c.tenant_id, c.new_email, m, c.user_id)) throw addressTaken();
        const previous = await this.users.setEmail(c.tenant_id, c.user_id, c.new_email, m);
        if (previous === undefined || !(await this.changes.confirm(c.tenant_id, c.id, previous, now, m)))
          throw invalidLink();
        return this.notices.record(m, c.tenant_id, c.user_id, 'email-changed', c.id);
      })
      .catch((e: unknown) => {
        // two people confirming the same address at once: the unique index decides
        if ((e as { code?: string }).code === '23505') throw addressTaken();
        throw e;
      });
    await this.notices.queue(notice);
  }
}
