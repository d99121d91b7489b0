import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type LoginResult, negotiateLocale } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, AppError, Clock, normaliseEmail } from '@rehearse/server/core';
import { PasswordHasher } from './password';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';
import { MfaService } from './mfa.service';
import { TrustedDevicesService } from './trusted-devices.service';
import { clientKey } from './client-address';
import { baseCookieOptions, cookieNames } from './cookies';
import { AccountService } from './account.service';
import { UsersRepository } from './users.repository';
import { parse as parseCookies } from 'cookie';

/** What passport's local strategy hands to the login route after a correct password. */
export interface VerifiedPassword {
  id: string;
  tenantId: string | null;
  isSuperuser: boolean;
  totpEnabled: boolean;
  securityStamp: string;
}

/**
 * The same address and password open accounts in several organisations (an e-mail address is
 * unique per organisation, so nobody learns from an invitation who is a customer elsewhere):
 * the person picks one. Only organisations whose account the password opened are listed.
 */
export interface OrganisationChoice {
  choose: { slug: string; name: string }[];
}

export type PasswordStep = VerifiedPassword | OrganisationChoice;

/** The e-mailed codes' limit ran out (SIGN_IN_CODE_MAILS per LOGIN_WINDOW_MINUTES), whoever asked. */
const TOO_MANY_CODES = 'Too many sign-in codes were sent to this e-mail address; try again later';
const invalidCredentials = () =>
  new AppError(HttpStatus.UNAUTHORIZED, 'invalid_credentials', 'The e-mail address or password is not correct');

/** Sign-in: password, then a second factor (or a trusted device), then a fresh session. */
@Injectable()
export class AuthService {
  private readonly cookies: ReturnType<typeof cookieNames>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly mfa: MfaService,
    private readonly devices: TrustedDevicesService,
    private readonly account: AccountService,
    private readonly users: UsersRepository,
  ) {
    this.cookies = cookieNames(config);
  }

  /**
   * The password step (called by passport's local strategy). Throttled per account and per
   * client address; unknown accounts cost one bcrypt comparison too, and get the same answer.
   */
  async verifyPassword(email: string, password: string, req: Request, organisation?: string): Promise<PasswordStep> {
    const address = clientKey(req.ip);
    const account = normaliseEmail(email);
    const attempt = await this.throttle.attempt('login', account, address);
    const opened = await attempt.judge(async () => {
      const rows = await this.users.signInCandidates(account, organisation ?? null);
      // one bcrypt comparison at least (unknown addresses cost the same as known ones)
      const right: typeof rows = [];
      for (const row of rows.length ? rows : [undefined])
        if ((await this.hasher.verify(password, row?.password_hash)) && row) right.push(row);
      return right;
    });
    if (!opened.length) throw invalidCredentials();
    await attempt.succeeded();
    // (a superuser's address is unique on the platform, so only organisations are ever offered)
    if (opened.length > 1) return { choose: opened.map((u) => ({ slug: u.slug ?? '', name: u.tenant_name ?? '' })) };
    const user = opened[0];
    return {
      id: user.id,
      tenantId: user.tenant_id,
      isSuperuser: user.is_superuser,
      totpEnabled: user.totp_enabled,
      securityStamp: user.security_stamp,
    };
  }

  /** After a correct password: a trusted device signs in at once; otherwise the second factor is asked. */
  async continueSignIn(step: PasswordStep, req: Request): Promise<LoginResult> {
    if ('choose' in step) return { status: 'choose_organisation', organisations: step.choose };
    const verified = step;
    const user = {
      id: verified.id,
      tenant_id: verified.tenantId,
      is_superuser: verified.isSuperuser,
      totp_enabled: verified.totpEnabled,
      security_stamp: verified.securityStamp,
    };
    const deviceToken = readCookie(req, this.cookies.trustedDevice);
    if (
      !user.is_superuser &&
      (await this.devices.isTrusted(user.tenant_id, deviceToken, user.id, user.security_stamp))
    ) {
      await this.completeSignIn(req, user.id, user.tenant_id);
      return { status: 'signed_in', me: await this.account.meFor(req) };
    }

    const method = user.totp_enabled ? 'totp' : 'email';
    // every code mailed counts against the person's limit, so a right password (a leaked one, or
    // the person's own script) cannot fill their mailbox; past it the answer is a 429 with its wait
    if (method === 'email' && !user.is_superuser)
      await this.throttle.use('code-mail', user.id, clientKey(req.ip), TOO_MANY_CODES);
    // rotate the session id already at the password step; only a pending sign-in is stored
    await this.sessions.regenerate(req);
    if (user.is_superuser && !user.totp_enabled) {
      throw new AppError(
        HttpStatus.FORBIDDEN,
        'forbidden',
        'Superusers must sign in with an authenticator app; ask another superuser to reset it',
      );
    }
    const challengeId =
      method === 'email'
        ? await this.mfa.sendEmailCode(user.id, user.tenant_id, negotiateLocale(req.headers['accept-language']))
        : null;
    req.session.pending = {
      userId: user.id,
      tenantId: user.tenant_id,
      method,
      challengeId,
      startedAt: this.clock.now().getTime(),
    };
    await this.sessions.save(req);
    return {
      status: 'mfa_required',
      method,
      alternatives: user.is_superuser ? ['totp'] : user.totp_enabled ? ['totp', 'email'] : ['email'],
    };
  }

  /** The second step. Codes are single use; attempts are limited per code and per account. */
  async verifyMfa(code: string, trustDevice: boolean, req: Request, res: Response): Promise<LoginResult> {
    const pending = this.livePending(req);
    const address = clientKey(req.ip);
    // counted per account in Redis (atomically, before the code is looked at), never in the session
    const attempt = await this.throttle.attempt(pending.method === 'totp' ? 'totp' : 'mfa', pending.userId, address);
    let ok = false;
    if (pending.method === 'email') {
      const result = await attempt.judge(() =>
        this.mfa.checkEmailCode(pending.tenantId ?? null, pending.challengeId ?? '', pending.userId, code),
      );
      if (result === 'expired')
        throw new AppError(
          HttpStatus.BAD_REQUEST,
          'code_expired',
          'This code has expired or was already used; request a new one',
        );
      if (result === 'exhausted')
        throw new AppError(HttpStatus.BAD_REQUEST, 'too_many_attempts', 'Too many wrong codes; request a new code');
      ok = result === 'ok';
    } else {
      ok = await attempt.judge(() => this.mfa.checkTotp(pending.tenantId ?? null, pending.userId, code));
    }
    if (!ok)
      throw new AppError(HttpStatus.BAD_REQUEST, 'invalid_code', 'The code is not correct', [
        { field: 'code', messages: ['is not correct'] },
      ]);
    await attempt.succeeded();
    const tenantId =
      pending.tenantId !== undefined ? pending.tenantId : await this.users.tenantOfPendingSignIn(pending.userId);
    const user = tenantId === undefined ? undefined : await this.users.signInState(tenantId, pending.userId);
    if (!user || user.status !== 'active') throw invalidCredentials();
    await this.completeSignIn(req, user.id, user.tenant_id);
    if (trustDevice && !user.is_superuser) {
      const { token, expiresAt } = await this.devices.create(
        user.id,
        user.tenant_id,
        user.security_stamp,
        String(req.headers['user-agent'] ?? ''),
      );
      res.cookie(this.cookies.trustedDevice, token, { ...baseCookieOptions(this.config), expires: expiresAt });
    }
    return { status: 'signed_in', me: await this.account.meFor(req) };
  }

  /** Sends a (new) e-mailed code for the pending sign-in, e.g. after the old one expired. */
  async resendCode(req: Request): Promise<LoginResult> {
    const pending = this.livePending(req);
    const address = clientKey(req.ip);
    await this.throttle.use('code-mail', pending.userId, address, TOO_MANY_CODES);
    const tenantId =
      pending.tenantId !== undefined ? pending.tenantId : await this.users.tenantOfPendingSignIn(pending.userId);
    const user = tenantId === undefined ? undefined : await this.users.signInState(tenantId, pending.userId);
    if (!user) throw invalidCredentials();
    if (user.is_superuser)
      throw new AppError(HttpStatus.FORBIDDEN, 'forbidden', 'Superusers sign in with an authenticator app only');
    pending.tenantId = user.tenant_id;
    pending.challengeId = await this.mfa.sendEmailCode(
      pending.userId,
      user.tenant_id,
      negotiateLocale(req.headers['accept-language']),
    );
    pending.method = 'email';
    await this.sessions.save(req);
    return { status: 'mfa_required', method: 'email', alternatives: user.totp_enabled ? ['totp', 'email'] : ['email'] };
  }

  async logout(req: Request, res: Response): Promise<void> {
    await this.sessions.destroy(req);
    res.clearCookie(this.cookies.session, baseCookieOptions(this.config));
  }

  /** A full session for the user under a new id. */
  async completeSignIn(req: Request, userId: string, tenantId: string | null): Promise<void> {
    await this.sessions.regenerate(req);
    req.session.auth = { userId, tenantId, authAt: this.clock.now().getTime() };
    await this.sessions.save(req);
    // a person who never chose a language gets their browser's (they can change it on their account)
    await this.users.recordSignIn(tenantId, userId, this.clock.now(), negotiateLocale(req.headers['accept-language']));
  }

  private livePending(req: Request) {
    const pending = req.session?.pending;
    const maxAge = this.config.MFA_CODE_TTL_MINUTES * 60_000;
    if (!pending || this.clock.now().getTime() - pending.startedAt > maxAge) {
      throw new AppError(
        HttpStatus.UNAUTHORIZED,
        'unauthenticated',
        'Your sign-in has expired; enter your password again',
      );
    }
    return pending;
  }
}

/**
 * A cookie of the request, parsed from its header when asked: the two routes that read one (the
 * trusted device at sign-in and in the device list) parse it, no other request pays for it.
 */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[name] : undefined;
}
