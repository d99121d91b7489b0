import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { isServiceUnavailable, loadConfig } from '@rehearse/server/core';
import { silentServer } from '@rehearse/server/testing';
import { S3Store } from './s3.store';
import { s3ClientConfig } from './storage.module';
import { serviceTimeouts } from './timeouts';

/**
 * A store that takes the connection and then says nothing (a stalled disk behind MinIO, a
 * half-open connection after a network fault), or stops in the middle of an object: the call
 * fails as unavailable in the configured time, where the clients would wait for ever.
 */
describe('object storage and the key service that fall silent', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  let port: number;
  /** what the server answers: nothing, or an object's headers and its first bytes and then nothing */
  let answer: 'nothing' | 'stop-midway' = 'nothing';

  beforeAll(async () => {
    silent = await silentServer(() =>
      answer === 'stop-midway'
        ? 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n0123456789'
        : null,
    );
    port = silent.port;
  });
  afterAll(() => silent.close());

  const store = () =>
    new S3Store({
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'rehearse',
      secretKey: 'rehearse-secret',
      bucket: 'rehearse-test',
      timeouts: { connectMs: 1000, silentMs: 500 },
    });
  const KEY = 'tenants/00000000-0000-0000-0000-000000000000/recordings/x';

  it('a call the store never answers fails in the time given, as unavailable (503)', async () => {
    answer = 'nothing';
    const started = Date.now();
    const e = await store()
      .get(KEY)
      .then(
        () => null,
        (x: unknown) => x,
      );
    expect(e).toMatchObject({ code: 'ETIMEDOUT', message: 'object storage sent nothing for 0.5 s' });
    expect(isServiceUnavailable(e)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('an object that stops coming in the middle fails the stream that reads it', async () => {
    answer = 'stop-midway';
    const body = await store().get(KEY);
    const read: Buffer[] = [];
    const e = await new Promise<unknown>((resolve) => {
      body.on('data', (c: Buffer) => read.push(c));
      body.on('error', resolve);
      body.on('end', () => resolve(null));
    });
    expect(Buffer.concat(read).toString()).toBe('0123456789');
    expect(e).not.toBeNull();
  });

  it('the AWS SDK (upload staging, the KMS key vault) gets the same limits from STORAGE_TIMEOUT_SECONDS', async () => {
    answer = 'nothing';
    const config = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY: 'rehearse',
      S3_SECRET_KEY: 'rehearse-secret',
      STORAGE_TIMEOUT_SECONDS: '2',
    });
    expect(serviceTimeouts(config)).toEqual({ connectMs: 2000, silentMs: 2000 });
    expect(serviceTimeouts(loadConfig({}))).toEqual({ connectMs: 10_000, silentMs: 60_000 });
    // one attempt (the SDK would try three times)
    const client = new S3Client({ ...s3ClientConfig(config), maxAttempts: 1 });
    const e = await client.send(new GetObjectCommand({ Bucket: 'rehearse-test', Key: KEY })).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ name: 'TimeoutError' });
    expect(isServiceUnavailable(e)).toBe(true);
    client.destroy();
  });
});
