import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { type EmailChangeStatus, negotiateLocale, type PendingEmailChange } from '@rehearse/shared/contracts';
import type { Actor } from '@rehearse/server/access';
import {
  APP_CONFIG,
  AppConfig,
  AppError,
  badRequest,
  Clock,
  conflict,
  SecretBox,
  normaliseEmail,
} from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { clientKey } from './client-address';
import { EmailChangesRepository } from './email-changes.repository';
import { LoginThrottle } from './login-throttle';
import { Reauthentication } from './reauthentication';
import { UsersRepository } from './users.repository';

/** 409: another account of the organisation (or a superuser) has the address. */
export const addressTaken = () => conflict('This e-mail address is already in use');

/**
 * A person changes their own e-mail address: their password first, then a link to the new address
 * (one use, EMAIL_CHANGE_TTL_HOURS). Only the link switches the address, and only then is the old
 * address told (the notice goes to it, not to the new one). Until then the old address signs in
 * and receives the sign-in codes, so a mistyped address locks nobody out, and nobody can move an
 * account to a mailbox they do not read. A newer request replaces an older one; the person can
 * cancel it. Never while impersonating. The link's use: EmailChangeLinks.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly reauth: Reauthentication,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailProducer,
    private readonly changes: EmailChangesRepository,
    private readonly users: UsersRepository,
  ) {}

  /** Asks for the change: the password again, then the link mailed to the new address. */
  async request(actor: Actor, password: string, email: string, req: Request): Promise<PendingEmailChange> {
    this.reauth.assertNotImpersonating(actor);
    await this.reauth.confirmPassword(actor, password, req, 'password');
    const next = normaliseEmail(email);
    if (next === normaliseEmail(actor.email))
      throw badRequest('validation_failed', 'This is already your e-mail address', [
        { field: 'email', messages: ['is already your e-mail address'] },
      ]);
    // unique within the organisation (a superuser's among everybody): accounts elsewhere are never told
    if (await this.users.emailTaken(actor.tenantId, next, undefined, actor.userId)) throw addressTaken();
    await this.throttle.use('email-change', actor.userId, clientKey(req.ip));
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.EMAIL_CHANGE_TTL_HOURS * 3600_000);
    const id = await this.db.transaction(async (m) => {
      await this.changes.useOpen(actor.tenantId, actor.userId, now, m);
      return this.changes.insert(
        actor.tenantId,
        {
          userId: actor.userId,
          newEmail: next,
          tokenHash: this.box.hash(token, 'email-change'),
          sealedToken: (changeId) => this.box.seal(token, `email-change:${changeId}`),
          expiresAt,
          now,
        },
        m,
      );
    });
    await this.mail.send('email-change', { changeId: id, locale: negotiateLocale(req.headers['accept-language']) }, id);
    return { email: next, expiresAt: expiresAt.toISOString() };
  }

  /** The person's change waiting for its link, if any. */
  async status(actor: Actor): Promise<EmailChangeStatus> {
    const open = await this.changes.open(actor.tenantId, actor.userId, this.clock.now());
    return { pending: open ? { email: open.new_email, expiresAt: open.expires_at.toISOString() } : null };
  }

  /** Cancels the change waiting for its link (its link stops working); 404 when there is none. */
  async cancel(actor: Actor): Promise<void> {
    this.reauth.assertNotImpersonating(actor);
    if (!(await this.changes.useOpen(actor.tenantId, actor.userId, this.clock.now())))
      throw new AppError(HttpStatus.NOT_FOUND, 'not_found', 'There is no change of e-mail address to cancel');
  }
}
