import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { freePort } from './ports';

/** Credentials moto accepts (any); the same strings go into the processes' settings. */
export const MOTO_CREDENTIALS = { accessKeyId: 'rehearse-test', secretAccessKey: 'rehearse-test-secret' };
export const MOTO_REGION = 'us-east-1';

export interface Moto {
  /** http://127.0.0.1:<port>: the S3 and the KMS API of one moto server */
  endpoint: string;
  s3: S3Client;
  kms: KMSClient;
  /** a new bucket */
  bucket(name: string): Promise<string>;
  /** a new symmetric KMS key; its id */
  kmsKey(): Promise<string>;
  /** settings for an app process whose key vault and upload staging live in this moto */
  env(buckets: { keys: string; uploads: string }, kmsKeyId: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * moto_server, with S3's conditional write made atomic as S3's is. moto checks `If-None-Match: *` and
 * then writes, on a thread per request: two hosts making the same vault key at once could both pass
 * the check and both be told they wrote it, and get different keys (the KMS key vault's test of
 * several hosts failed so, once, in a clean clone's run). Amazon S3 and MinIO decide such writes one
 * at a time; here a lock around moto's PUT of an object does. Run by the venv's Python beside
 * moto_server, with moto_server's own arguments.
 */
const ATOMIC_PUT_MOTO = `
import sys, threading
from moto.s3.responses import S3Response
lock = threading.Lock()
put = S3Response.put_object
def put_object(self, *args, **kwargs):
    with lock:
        return put(self, *args, **kwargs)
S3Response.put_object = put_object
from moto.server import main
main(sys.argv[1:])
`;

/**
 * A moto server (S3 and KMS emulation) as a process of its own, installed once per machine by
 * tools/scripts/ensure-moto.sh (or REHEARSE_MOTO_SERVER naming the program).
 */
export async function startMoto(): Promise<Moto> {
  const program =
    process.env['REHEARSE_MOTO_SERVER'] ||
    execFileSync('bash', [join(__dirname, '../../../../../tools/scripts/ensure-moto.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  const port = await freePort();
  const proc: ChildProcess = spawn(
    join(dirname(program), 'python'),
    ['-c', ATOMIC_PUT_MOTO, '-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`moto_server ended (${proc.exitCode}): ${stderr}`);
    if (
      await fetch(`${endpoint}/moto-api/`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > end) {
      proc.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const s3 = new S3Client({ endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
  const kms = new KMSClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  return {
    endpoint,
    s3,
    kms,
    async bucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async kmsKey() {
      const { KeyMetadata } = await kms.send(
        new CreateKeyCommand({
          Description: 'rehearse test vault',
          KeySpec: 'SYMMETRIC_DEFAULT',
          KeyUsage: 'ENCRYPT_DECRYPT',
        }),
      );
      return KeyMetadata?.KeyId as string;
    },
    env(buckets, kmsKeyId) {
      return {
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY: MOTO_CREDENTIALS.accessKeyId,
        S3_SECRET_KEY: MOTO_CREDENTIALS.secretAccessKey,
        S3_REGION: MOTO_REGION,
        KEY_VAULT: 'kms',
        KMS_ENDPOINT: endpoint,
        KMS_REGION: MOTO_REGION,
        KMS_ACCESS_KEY: MOTO_CREDENTIALS.accessKeyId,
        KMS_SECRET_KEY: MOTO_CREDENTIALS.secretAccessKey,
        KMS_KEY_ID: kmsKeyId,
        KEY_VAULT_BUCKET: buckets.keys,
        UPLOAD_STAGING: 's3',
        UPLOAD_BUCKET: buckets.uploads,
      };
    },
    async stop() {
      s3.destroy();
      kms.destroy();
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
