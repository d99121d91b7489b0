/**
 * `node tools/scripts/ts-run.cjs tools/scripts/moto-env.ts`: starts moto's S3 and KMS
 * (tools/scripts/ensure-moto.sh), makes the buckets and a key, and prints the settings for
 * REHEARSE_TEST_ENV, so any API suite runs with uploads staged in a bucket, sealed objects in S3
 * and the key vault behind the KMS. Runs until interrupted.
 */
import { startMoto } from '@rehearse/server/testing';

async function main(): Promise<void> {
  const moto = await startMoto();
  const key = await moto.kmsKey();
  for (const b of ['rehearse', 'rehearse-keys']) await moto.bucket(b);
  const env = {
    ...moto.env({ keys: 'rehearse-keys', uploads: 'rehearse-uploads' }, key),
    STORAGE_DRIVER: 's3',
    S3_BUCKET: 'rehearse',
  };
  console.log(JSON.stringify(env));
  const stop = () => void moto.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
