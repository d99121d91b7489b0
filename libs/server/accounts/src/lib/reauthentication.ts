import { HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@rehearse/server/access';
import { AppError, badRequest } from '@rehearse/server/core';
import { clientKey } from './client-address';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password';
import { UsersRepository } from './users.repository';

/**
 * What every change of a credential asks first: that nobody is impersonating the person, and their
 * password again (throttled per account and address like a sign-in).
 */
@Injectable()
export class Reauthentication {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly hasher: PasswordHasher,
    private readonly users: UsersRepository,
  ) {}

  /** Credentials are never changed under impersonation. */
  assertNotImpersonating(actor: Actor): void {
    if (actor.impersonatorId) {
      throw new AppError(
        HttpStatus.FORBIDDEN,
        'impersonation_forbidden',
        'Passwords, e-mail addresses and second factors cannot be changed while impersonating',
      );
    }
  }

  /** The person's password, asked again; `field` names it in the error. */
  async confirmPassword(actor: Actor, password: string, req: Request, field = 'currentPassword'): Promise<void> {
    const attempt = await this.throttle.attempt('reauth', actor.userId, clientKey(req.ip));
    const hash = await attempt.judge(() => this.users.passwordHashOf(actor.tenantId, actor.userId));
    if (!(await this.hasher.verify(password, hash))) {
      throw badRequest('invalid_credentials', 'Your current password is not correct', [
        { field, messages: ['is not correct'] },
      ]);
    }
    await attempt.succeeded();
  }

  /** Counts an attempt at something secret other than the password (an authenticator code). */
  attempt(actor: Actor, req: Request): ReturnType<LoginThrottle['attempt']> {
    return this.throttle.attempt('reauth', actor.userId, clientKey(req.ip));
  }
}
