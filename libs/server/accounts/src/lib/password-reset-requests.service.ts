import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { type Locale, negotiateLocale, type PasswordResetRequested } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, SecretBox, normaliseEmail } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { clientKey } from './client-address';
import { LoginThrottle } from './login-throttle';
import { PasswordResetsRepository } from './password-resets.repository';
import { UsersRepository } from './users.repository';

export const RESET_REQUESTED =
  'If this address belongs to an account, a link to choose a new password is on its way to it. It works once, for a short time; check your spam folder too.';

/**
 * The first half of a forgotten password: a link by e-mail to each account of the address (one per
 * organisation) that works once, for a short time (PASSWORD_RESET_TTL_MINUTES). Superusers, and
 * people without a password of their own (invited, or signing in through their organisation's
 * identity provider only), get none. The answer to a request is the same, and as quick, whether
 * or not the address has an account: the links are made after it is sent. The link's use:
 * PasswordResetService.
 */
@Injectable()
export class PasswordResetRequests implements OnApplicationShutdown {
  private readonly logger = new Logger(PasswordResetRequests.name);
  /** requests whose links are still being made (awaited at shutdown, and by tests) */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
    private readonly mail: MailProducer,
    private readonly resets: PasswordResetsRepository,
    private readonly users: UsersRepository,
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
}
