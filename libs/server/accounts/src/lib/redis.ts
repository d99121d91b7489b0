import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';

/** The Redis connection used for throttling counters (queues have their own). */
@Injectable()
export class RedisClient implements OnModuleDestroy {
  readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = new Redis(config.REDIS_URL, {
      enableOfflineQueue: true,
      maxRetriesPerRequest: 2,
      lazyConnect: false,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    });
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
