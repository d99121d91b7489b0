import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/**
 * The speech engine of the tests' installations: Whisper tiny.en on real weights (provisioned by
 * npm test into REHEARSE_WHISPER_MODELS_DIR) through whisper.cpp's program (built by npm test into
 * WHISPER_CLI_DIR), as a CPU host runs it. One thread per transcription: two test files run side
 * by side on 2 cores. On this machine it does an answer in less than half of PocketSphinx's work
 * (jfk.wav: 2.6 s of CPU against 5.5 s), with the right words. Tests about PocketSphinx itself
 * ask for it (`SPEECH_ENGINE: 'pocketsphinx'`).
 */
export function testSpeechEnv(): Record<string, string> {
  return {
    SPEECH_ENGINE: 'whisper',
    WHISPER_MODEL: 'tiny.en',
    WHISPER_MODELS_DIR:
      process.env['REHEARSE_WHISPER_MODELS_DIR'] ?? join(process.env['HOME'] ?? '', '.cache/rehearse/models'),
    WHISPER_CLI: whisperCli(),
    WHISPER_THREADS: '1',
  };
}

/** whisper.cpp's program: built once per machine (the script returns at once when it is there). */
function whisperCli(): string {
  const known = process.env['REHEARSE_TEST_WHISPER_CLI'];
  if (known) return known;
  const path =
    execFileSync('bash', [join(ROOT, 'tools/scripts/build-whisper-cli.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop() ?? '';
  // one test worker runs many files: the path is looked up once
  process.env['REHEARSE_TEST_WHISPER_CLI'] = path;
  return path;
}
