import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { DependencyUnavailableError } from '@rehearse/server/core';
import { assertObjectKey, BlobStore, ByteRange } from './blob-store';
import { type ServiceTimeouts, storageAgent } from './timeouts';

export interface S3Options {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
  /** how long a connection may stay silent or take to connect (none when not given: tests of the client alone) */
  timeouts?: ServiceTimeouts;
}

/**
 * The `minio` client's answer to a status it retries (408, 429, 5xx) once its retries are spent:
 * a plain Error naming the status, which would otherwise be answered as a bug (500).
 */
const RETRIES_SPENT = /^Request failed after \d+ retries: .*Retryable HTTP status: (\d{3})/;

/** `e` as it should reach the API: the storage service unavailable for now, or as it is. */
function storageError(e: unknown): unknown {
  const m = e instanceof Error ? RETRIES_SPENT.exec(e.message) : null;
  return m ? new DependencyUnavailableError(`object storage answered ${m[1]}`, { cause: e }) : e;
}

/** Runs one call of the client, its refusals for now made DependencyUnavailableError. */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw storageError(e);
  }
}

/** S3-compatible storage (MinIO in production) through the `minio` client. */
export class S3Store implements BlobStore {
  private readonly client: Client;

  constructor(private readonly options: S3Options) {
    this.client = new Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: options.useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? 'us-east-1',
      pathStyle: true,
      ...(options.timeouts ? { transportAgent: storageAgent(options.useSSL, options.timeouts) } : {}),
    });
  }

  async ensureBucket(): Promise<void> {
    if (!(await call(() => this.client.bucketExists(this.options.bucket))))
      await call(() => this.client.makeBucket(this.options.bucket, this.options.region ?? 'us-east-1'));
  }

  async put(key: string, body: Readable, size?: number): Promise<void> {
    assertObjectKey(key);
    await call(() =>
      this.client.putObject(this.options.bucket, key, body, size, { 'Content-Type': 'application/octet-stream' }),
    );
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertObjectKey(key);
    return call(() =>
      range
        ? this.client.getPartialObject(this.options.bucket, key, range.start, range.end - range.start + 1)
        : this.client.getObject(this.options.bucket, key),
    );
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertObjectKey(key);
    try {
      return { size: (await this.client.statObject(this.options.bucket, key)).size };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'NotFound' || code === 'NoSuchKey') return null;
      throw storageError(e);
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await call(() => this.client.removeObject(this.options.bucket, key));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    await call(async () => {
      const stream = this.client.listObjectsV2(this.options.bucket, prefix, true);
      for await (const item of stream as AsyncIterable<{ name?: string }>) if (item.name) keys.push(item.name);
    });
    return keys.sort();
  }
}
