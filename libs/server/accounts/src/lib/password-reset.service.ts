import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import type { PasswordResetInfo } from '@rehearse/shared/contracts';
import { AppError, badRequest, Clock, SecretBox } from '@rehearse/server/core';
import { clientKey } from './client-address';
import { LoginThrottle } from './login-throttle';
import { NewPassword } from './new-password';
import { checkPassword, PasswordHasher, passwordRules } from './password';
import { PasswordResetsRepository } from './password-resets.repository';

const invalidLink = () =>
  new AppError(
    HttpStatus.NOT_FOUND,
    'invalid_token',
    'This link to choose a new password is not valid any more (used, replaced or expired). Ask for a new one.',
  );

/**
 * The second half of a forgotten password: the e-mailed link (PasswordResetRequests) sets a new
 * password, once. It never signs anyone in, so the second factor is asked at the next sign-in as
 * always (a reset cannot skip it); every session of the person ends and their trusted devices die,
 * as with a password change (NewPassword), and a notice says so.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly resets: PasswordResetsRepository,
    private readonly passwords: NewPassword,
  ) {}

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
      const done = await this.passwords.set(m, r.tenant_id, r.user_id, hash, now);
      if (!done) throw invalidLink();
      await this.resets.useOpen(r.tenant_id, r.user_id, now, m);
      return done;
    });
    await this.passwords.announce(notice);
  }
}
