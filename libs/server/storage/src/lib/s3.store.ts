import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { assertObjectKey, BlobStore, ByteRange } from './blob-store';

export interface S3Options {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
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
    });
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.options.bucket)))
      await this.client.makeBucket(this.options.bucket, this.options.region ?? 'us-east-1');
  }

  async put(key: string, body: Readable, size?: number): Promise<void> {
    assertObjectKey(key);
    await this.client.putObject(this.options.bucket, key, body, size, { 'Content-Type': 'application/octet-stream' });
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertObjectKey(key);
    return range
      ? this.client.getPartialObject(this.options.bucket, key, range.start, range.end - range.start + 1)
      : this.client.getObject(this.options.bucket, key);
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertObjectKey(key);
    try {
      return { size: (await this.client.statObject(this.options.bucket, key)).size };
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'NotFound' || code === 'NoSuchKey') return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await this.client.removeObject(this.options.bucket, key);
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const stream = this.client.listObjectsV2(this.options.bucket, prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string }>) if (item.name) keys.push(item.name);
    return keys.sort();
  }
}
