import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  dtwPresetFor,
  manifestEntry,
  PocketSphinxEngine,
  SpeechEngine,
  verifyModel,
  WhisperCliEngine,
} from '@rehearse/server/speech';

const root = join(__dirname, '..', '..', '..');

/** Where the benchmarks find Whisper's weights (npm test provisions tiny.en and base there). */
export const MODELS = process.env['REHEARSE_WHISPER_MODELS_DIR'] ?? join(homedir(), '.cache', 'rehearse', 'models');

/** whisper.cpp's program as tools/scripts/build-whisper-cli.sh builds it (once), under `env`'s settings. */
export function whisperCliProgram(env: Record<string, string> = {}): string {
  return (
    execFileSync('bash', [join(root, 'tools/scripts/build-whisper-cli.sh')], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    })
      .trim()
      .split('\n')
      .pop() ?? ''
  );
}

/**
 * The engines the benchmarks compare: Debian's PocketSphinx, and Whisper through whisper.cpp's
 * program (built by tools/scripts/build-whisper-cli.sh) with each model of `models` that is
 * installed and verifies (the others are named and left out). `options` leave PocketSphinx out,
 * turn Whisper's filler prompt off (on by default, as the worker runs it), set its threads and how
 * long answers are cut (WhisperCliOptions.partSeconds).
 */
export async function benchEngines(
  models: string[] = ['tiny.en', 'base'],
  options: {
    pocketSphinx?: boolean;
    promptFillers?: boolean;
    threads?: number;
    partSeconds?: number;
    /** whisper.cpp's program: the one tools/scripts/build-whisper-cli.sh builds unless named */
    binary?: string;
  } = {},
): Promise<{ label: string; engine: SpeechEngine }[]> {
  const out: { label: string; engine: SpeechEngine }[] =
    options.pocketSphinx === false
      ? []
      : [{ label: 'PocketSphinx 5prealpha (Debian en-us)', engine: new PocketSphinxEngine() }];
  const binary = options.binary ?? whisperCliProgram();
  for (const name of models) {
    const entry = manifestEntry(name);
    const v = await verifyModel(MODELS, entry);
    if (!v.ok) {
      console.log(
        `  (Whisper ${name} left out: ${v.reason}; WHISPER_MODELS_DIR=${MODELS} npm run models -- install ${name} --from auto)`,
      );
      continue;
    }
    out.push({
      label: `Whisper ${name} (whisper.cpp, DTW, greedy)`,
      engine: new WhisperCliEngine({
        binary,
        modelPath: v.path,
        threads: options.threads ?? Number(process.env['WHISPER_THREADS'] ?? 2),
        beamSize: 1,
        language: 'en',
        useGpu: false,
        dtw: dtwPresetFor(v.path),
        englishOnly: entry.englishOnly,
        promptFillers: options.promptFillers,
        partSeconds: options.partSeconds,
      }),
    });
  }
  return out;
}
