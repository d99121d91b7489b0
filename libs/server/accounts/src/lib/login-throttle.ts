import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig, tooManyRequests } from '@rehearse/server/core';
import { RedisClient } from './redis';

type Scope = 'login' | 'mfa' | 'mfa-send' | 'invitation';

/**
 * Failure counters per account and per client address (rate-limiter-flexible on Redis).
 * A blocked key answers 429 before any password or code is looked at.
 */
@Injectable()
export class LoginThrottle {
  private readonly limiters: Record<Scope, { account: RateLimiterRedis; address: RateLimiterRedis }>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    redis: RedisClient,
  ) {
    const duration = config.LOGIN_WINDOW_MINUTES * 60;
    const make = (prefix: string, points: number) =>
      new RateLimiterRedis({ storeClient: redis.redis, keyPrefix: `${config.QUEUE_PREFIX}:throttle:${prefix}`, points, duration });
    this.limiters = {
      login: { account: make('login:acct', config.LOGIN_MAX_FAILURES), address: make('login:addr', config.LOGIN_MAX_FAILURES_PER_ADDRESS) },
      mfa: { account: make('mfa:acct', config.LOGIN_MAX_FAILURES), address: make('mfa:addr', config.LOGIN_MAX_FAILURES_PER_ADDRESS) },
      'mfa-send': { account: make('mfasend:acct', 5), address: make('mfasend:addr', config.LOGIN_MAX_FAILURES_PER_ADDRESS) },
      invitation: { account: make('inv:acct', config.LOGIN_MAX_FAILURES), address: make('inv:addr', config.LOGIN_MAX_FAILURES_PER_ADDRESS) },
    };
  }

  private static key(account: string): string {
    // account identifiers (e-mail addresses) never reach Redis in clear text
    return createHash('sha256').update(account.trim().toLowerCase()).digest('hex').slice(0, 32);
  }

  /** Throws 429 when the account or the address has used up its failures. */
  async assertAllowed(scope: Scope, account: string, address: string): Promise<void> {
    const l = this.limiters[scope];
    const [a, b] = await Promise.all([l.account.get(LoginThrottle.key(account)), l.address.get(address)]);
    for (const [res, limiter] of [[a, l.account], [b, l.address]] as const) {
      if (res && res.consumedPoints >= limiter.points) throw tooManyRequests(res.msBeforeNext / 1000);
    }
  }

  /** Counts one failure (or one use, for rate-limited sends). */
  async fail(scope: Scope, account: string, address: string): Promise<void> {
    const l = this.limiters[scope];
    await Promise.all([
      l.account.consume(LoginThrottle.key(account)).catch((e: unknown) => ignoreLimit(e)),
      l.address.consume(address).catch((e: unknown) => ignoreLimit(e)),
    ]);
  }

  async reset(scope: Scope, account: string): Promise<void> {
    await this.limiters[scope].account.delete(LoginThrottle.key(account));
  }
}

function ignoreLimit(e: unknown): void {
  if (e instanceof RateLimiterRes) return; // already over the limit: the next assertAllowed answers 429
  throw e;
}
