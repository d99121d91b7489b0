import { HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import {
  type Locale,
  negotiateLocale,
  type PasswordResetInfo,
  type PasswordResetRequested,
} from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, AppError, badRequest, Clock, SecretBox, normaliseEmail } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { clientKey } from './client-address';
import { LoginThrottle } from './login-throttle';
import { checkPassword, PasswordHasher, passwordRules } from './password';
import { PasswordResetsRepository } from './password-resets.repository';
import { SessionsService } from './sessions.service';
import { TrustedDevicesService } from './trusted-devices.service';
import { UsersRepository } from './users.repository';
import { SecurityNotices } from './security-notices';

export const RESET_REQUESTED =
  'If this address belongs to an account, a link to choose a new password is on its way to it. It works once, for a short time; check your spam folder too.';

const invalidLink = () =>
  new AppError(
    HttpStatus.NOT_FOUND,
    'invalid_token',
    'This link to choose a new password is not valid any more (used, replaced or expired). Ask for a new one.',
  );

/**
 * A forgotten password: a link by e-mail that works once, for a short time, and sets a new
 * password. It never signs anyone in, so the second factor is asked at the next sign-in as always
 * (a reset cannot skip it); every session of the person ends and their trusted devices die, as
 * with a password change, and a notice says so. Superusers, and people without a password of
 * their own (invited, or signing in through their organisation's identity provider only), get no
 * link. The answer to a request is the same, and as quick, whether or not the address has an
 * account: the links are made after it is sent.
 */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly logger = new Logger(PasswordResetService.name);
  /** requests whose links are still being made (awaited at shutdown, and by tests) */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailProducer,
    private readonly notices: SecurityNotices,
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly devices: TrustedDevicesService,
  ) {}

  /** Asks for a link for every account of this address (one per organisation); throttled per address and client. */
  async request(email: string, req: Request): Promise<PasswordResetRequested> {
    const account = normaliseEmail(email);
    await this.throttle.use('reset-request', account, clientKey(req.ip));
    const locale = negotiateLocale(req.headers['accept-language']);
    const work = this.sendLinks(account, locale)
      .catch((e: Error) => this.logger.warn(`could not send a password reset link: ${e.message}`))
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
    return { message: RESET_REQUESTED };
  }

  /** Resolves once every request answered so far has made and queued its links. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  private async sendLinks(email: string, locale: Locale | null): Promise<void> {
    // a superuser belongs to no organisation: only people of one, with a password of their own
    const accounts = (await this.users.signInCandidates(email, null)).filter(
      (a) => a.tenant_id !== null && a.password_hash !== null,
    );
    for (const a of accounts) {
      const tenantId = a.tenant_id as string;
      const token = randomBytes(32).toString('base64url');
      const now = this.clock.now();
      const id = await this.db.transaction(async (m) => {
        await this.resets.useOpen(tenantId, a.id, now, m);
        return this.resets.insert(
          tenantId,
          {
            userId: a.id,
            tokenHash: this.box.hash(token, 'password-reset'),
            sealedToken: (resetId) => this.box.seal(token, `password-reset:${resetId}`),
            expiresAt: new Date(now.getTime() + this.config.PASSWORD_RESET_TTL_MINUTES * 60_000),
            now,
          },
          m,
        );
      });
      await this.mail.send('password-reset', { resetId: id, locale }, id);
    }
  }

  /** A live link (not used, not expired, its person active), or 404; guessing links is throttled per client address. */
  private findLive(token: string, req: Request) {
    return this.throttle.liveLink(
      'reset-link',
      clientKey(req.ip),
      () => this.resets.findByTokenHash(this.box.hash(token, 'password-reset')),
      (r) => !r.used_at && r.expires_at > this.clock.now() && r.status === 'active',
      invalidLink,
    );
  }

  async info(token: string, req: Request): Promise<PasswordResetInfo> {
    const r = await this.findLive(token, req);
    return {
      email: r.email,
      name: r.name,
      tenantName: r.tenant_name,
      passwordRules: passwordRules(r.require_password_complexity),
      expiresAt: r.expires_at.toISOString(),
    };
  }

  /**
   * Sets the new password; the link (and any other of the person's) dies, every session ends, the
   * trusted devices die, and a notice is mailed. Nobody is signed in.
   */
  async complete(token: string, password: string, req: Request): Promise<void> {
    const r = await this.findLive(token, req);
    const errors = checkPassword(password, {
      requireComplexity: r.require_password_complexity,
      email: r.email,
      name: r.name,
    });
    if (errors.length) throw badRequest('weak_password', 'Choose a stronger password', errors);
    const hash = await this.hasher.hash(password);
    const notice = await this.db.transaction(async (m) => {
      const now = this.clock.now();
      if (!(await this.resets.use(r.tenant_id, r.id, now, m))) throw invalidLink();
      if (!(await this.users.setPassword(r.tenant_id, r.user_id, hash, now, {}, m))) throw invalidLink();
      await this.resets.useOpen(r.tenant_id, r.user_id, now, m);
      await this.devices.revokeAll(r.tenant_id, r.user_id, m);
      await this.sessions.endAllForUser(r.user_id, undefined, m);
      return this.notices.record(m, r.tenant_id, r.user_id, 'password-changed');
    });
    await this.notices.queue(notice);
  }
}
