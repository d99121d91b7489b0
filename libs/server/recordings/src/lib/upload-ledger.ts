import type { OnModuleDestroy } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { type AppConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';

/**
 * What the uploads of every API replica share, in Redis:
 * - a claim: one request at a time acts on a finished upload, its submission (checked, sealed,
 *   its answer written) or its removal. Two submissions of one upload at once made two answers of
 *   one file, or read a file the other had already removed; a removal under a submission took its
 *   file away;
 * - each person's open uploads (started, not yet submitted or removed, not expired): a person may
 *   hold UPLOAD_MAX_OPEN at once, so that no account fills the staging disk or bucket with uploads
 *   it never submits.
 */
export interface UploadLedger {
  /** true when this request now holds the upload; false when another does */
  claim(uploadId: string): Promise<boolean>;
  release(uploadId: string): Promise<void>;
  /** records an upload the person started, open until `until` (ms); how many they now have open */
  open(ownerId: string, uploadId: string, until: number): Promise<number>;
  /** the upload was submitted, refused or removed */
  close(ownerId: string, uploadId: string): Promise<void>;
}

/**
 * The ledger in Redis, shared by every API replica: a claim is a key set only when absent,
 * expiring by itself should its holder die (a submission of the largest upload takes minutes, not
 * an hour); a person's open uploads a sorted set scored by expiry, expired ones dropped as it is read.
 */
export class RedisUploadLedger implements UploadLedger, OnModuleDestroy {
  static readonly HOLD_MS = 60 * 60_000;

  constructor(
    private readonly redis: Pick<Redis, 'set' | 'del' | 'multi' | 'zrem' | 'quit'>,
    private readonly prefix: string,
  ) {}

  /**
   * A connection of its own that fails fast while Redis is away (a request then answers 503 at
   * once): the queues' connection retries a command for minutes, and an upload waited as long.
   */
  static connect(config: AppConfig): RedisUploadLedger {
    const redis = new IORedis(config.REDIS_URL, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    });
    redis.on('error', () => undefined); // (each command reports its own failure)
    return new RedisUploadLedger(redis, config.QUEUE_PREFIX);
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  async claim(uploadId: string): Promise<boolean> {
    const key = `${this.prefix}:upload-claim:${uploadId}`;
    return (await this.redis.set(key, '1', 'PX', RedisUploadLedger.HOLD_MS, 'NX')) === 'OK';
  }

  async release(uploadId: string): Promise<void> {
    await this.redis.del(`${this.prefix}:upload-claim:${uploadId}`);
  }

  async open(ownerId: string, uploadId: string, until: number): Promise<number> {
    const key = this.openKey(ownerId);
    const replies = await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', Date.now())
      .zadd(key, until, uploadId)
      .zcard(key)
      .pexpireat(key, until)
      .exec();
    const [error, count] = replies?.[2] ?? [new Error('the open uploads were not counted'), 0];
    if (error) throw error;
    return Number(count);
  }

  async close(ownerId: string, uploadId: string): Promise<void> {
    await this.redis.zrem(this.openKey(ownerId), uploadId);
  }

  private openKey(ownerId: string): string {
    return `${this.prefix}:uploads-open:${ownerId}`;
  }
}
