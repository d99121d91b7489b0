/**
 * `npm run bench`: every benchmark of the recording path in one run on one machine — encrypted
 * upload-and-store against a plain copy, ranged reads, and transcription through the worker's
 * pipeline against the engine alone (with real-time factors). Not a test: nothing asserts on timings.
 */
import { cpus } from 'node:os';
import { benchStorage } from './storage';
import { benchTranscription } from './transcription';

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
  await benchStorage();
  console.log('');
  await benchTranscription();
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
