import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig, isServiceUnavailable, tooManyRequests } from '@rehearse/server/core';
import { RedisClient } from './redis';

/**
 * What is counted: passwords at sign-in, e-mailed and authenticator codes at the second step, e-mailed codes sent
 * (at the password step and when asked for again),
 * invitation links, TOTP codes while setting up an authenticator, the password asked again
 * before a change of password, e-mail or second factor, password reset and e-mail change links
 * asked for, and such links tried.
 */
export type ThrottleScope =
  | 'login'
  | 'mfa'
  | 'totp'
  | 'code-mail'
  | 'invitation'
  | 'reauth'
  | 'reset-request'
  | 'reset-link'
  | 'email-change'
  | 'email-link';

/** One attempt that counted against the limits; tell it how it ended. */
export interface ThrottledAttempt {
  /** The secret was right: the account's counter starts again and the address gets its point back. */
  succeeded(): Promise<void>;
  /**
   * Runs `check`, the look at the secret (its reads and writes). When a service it depends on
   * fails (PostgreSQL or Redis out of reach: a 503), the secret was never judged, and the attempt
   * gives its points back: people who try again through an outage, or an office behind one
   * address, are not locked out for the window after it.
   */
  judge<T>(check: () => Promise<T>): Promise<T>;
}

/**
 * Attempt counters per account and per client address (rate-limiter-flexible on Redis). Each
 * attempt takes its point atomically *before* the secret is checked, so a burst of parallel
 * requests cannot all pass between a read and a write; a right secret gives the point back.
 * A key with no points left answers 429 before any password or code is looked at.
 */
@Injectable()
export class LoginThrottle {
  /** per scope: the account's counter, and the client address's (null: the address is not counted) */
  private readonly limiters: Record<ThrottleScope, { account: RateLimiterRedis; address: RateLimiterRedis | null }>;

  constructor(@Inject(APP_CONFIG) config: AppConfig, redis: RedisClient) {
    const duration = config.LOGIN_WINDOW_MINUTES * 60;
    const make = (prefix: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis.redis,
        keyPrefix: `${config.QUEUE_PREFIX}:throttle:${prefix}`,
        points,
        duration,
      });
    const perAddress = config.LOGIN_MAX_FAILURES_PER_ADDRESS;
    this.limiters = {
      login: { account: make('login:acct', config.LOGIN_MAX_FAILURES), address: make('login:addr', perAddress) },
      mfa: { account: make('mfa:acct', config.LOGIN_MAX_FAILURES), address: make('mfa:addr', perAddress) },
      // authenticator codes at sign-in: few tries per account, whichever session they come from
      totp: { account: make('totp:acct', config.MFA_MAX_ATTEMPTS), address: make('totp:addr', perAddress) },
      // codes mailed per person: each one a message in their mailbox, whoever asked. Not per
      // address: every sign-in mails one, and a call centre's people sign in from one address at
      // the start of a shift (guessing is counted by 'login' and 'mfa', which give a right answer
      // its point back)
      'code-mail': { account: make('codemail:acct', config.SIGN_IN_CODE_MAILS), address: null },
      // invitation links have no account: only the address counts, never one key for everybody
      invitation: {
        account: make('inv:token', config.LOGIN_MAX_FAILURES),
        address: make('inv:addr', config.LOGIN_MAX_FAILURES),
      },
      // reset links asked for an address (whether it has an account or not: the count tells nothing)
      'reset-request': {
        account: make('reset:acct', config.PASSWORD_RESET_MAX_REQUESTS),
        address: make('reset:addr', perAddress),
      },
      // reset links have no account: as invitation links, only the address counts
      'reset-link': {
        account: make('resetlink:token', config.LOGIN_MAX_FAILURES),
        address: make('resetlink:addr', config.LOGIN_MAX_FAILURES),
      },
      // links that confirm a new address, asked for by one person (each mails an address of their choosing)
      'email-change': { account: make('emailchg:acct', 5), address: make('emailchg:addr', perAddress) },
      // links that confirm a new address have no account: as reset links, only the address counts
      'email-link': {
        account: make('emaillink:token', config.LOGIN_MAX_FAILURES),
        address: make('emaillink:addr', config.LOGIN_MAX_FAILURES),
      },
      reauth: { account: make('reauth:acct', config.MFA_MAX_ATTEMPTS), address: make('reauth:addr', perAddress) },
    };
  }

  private static key(account: string): string {
    // account identifiers (e-mail addresses, tokens) never reach Redis in clear text
    return createHash('sha256').update(account.trim().toLowerCase()).digest('hex').slice(0, 32);
  }

  /**
   * Takes one point from the account and from the address, atomically; 429 when either has none
   * left. `account` null: only the address counts.
   */
  async attempt(
    scope: ThrottleScope,
    account: string | null,
    address: string,
    message?: string,
  ): Promise<ThrottledAttempt> {
    const l = this.limiters[scope];
    const accountKey = account === null ? null : LoginThrottle.key(account);
    if (accountKey) {
      try {
        await l.account.consume(accountKey);
      } catch (e) {
        throw limited(e, message);
      }
    }
    const byAddress = l.address;
    if (byAddress) {
      try {
        await byAddress.consume(address);
      } catch (e) {
        if (accountKey) await l.account.reward(accountKey, 1).catch(() => undefined);
        throw limited(e, message);
      }
    }
    return {
      succeeded: async () => {
        await Promise.all([
          accountKey ? l.account.delete(accountKey) : Promise.resolve(),
          byAddress ? byAddress.reward(address, 1) : Promise.resolve(),
        ]);
      },
      judge: async (check) => {
        try {
          return await check();
        } catch (e) {
          if (isServiceUnavailable(e))
            await Promise.all([
              accountKey ? l.account.reward(accountKey, 1) : Promise.resolve(),
              byAddress ? byAddress.reward(address, 1) : Promise.resolve(),
            ]).catch(() => undefined);
          throw e;
        }
      },
    };
  }

  /**
   * A one-time link's row (an invitation, a password reset, an e-mail change) when it is live, or
   * `refused()`: guessing links is counted per client address only (never per account, never for
   * everybody at once), and a live link gives its point back.
   */
  async liveLink<T>(
    scope: 'invitation' | 'reset-link' | 'email-link',
    address: string,
    find: () => Promise<T | null | undefined>,
    live: (row: T) => boolean,
    refused: () => Error,
  ): Promise<T> {
    const attempt = await this.attempt(scope, null, address);
    const row = await attempt.judge(find);
    if (!row || !live(row)) throw refused();
    await attempt.succeeded();
    return row;
  }

  /** Counts a use that is limited whatever its outcome (e-mailed codes sent); `message` says what ran out. */
  async use(scope: ThrottleScope, account: string, address: string, message?: string): Promise<void> {
    await this.attempt(scope, account, address, message);
  }
}

function limited(e: unknown, message?: string): Error {
  if (e instanceof RateLimiterRes) return tooManyRequests(e.msBeforeNext / 1000, message);
  return e as Error;
}
