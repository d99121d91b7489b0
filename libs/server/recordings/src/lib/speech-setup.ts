import {
  dtwPresetFor,
  manifestEntry,
  MODEL_MANIFEST,
  ModelEntry,
  PocketSphinxEngine,
  SpeechEngine,
  verifyModel,
  WhisperCliEngine,
  WhisperCppEngine,
} from '@rehearse/server/speech';
import type { AppConfig } from '@rehearse/server/core';

/** What the worker's health endpoint says about speech recognition. */
export interface SpeechState {
  engine: string;
  model: string;
  status: 'ready' | 'fallback';
  detail?: string;
}

export const SPEECH_ENGINE = Symbol('SPEECH_ENGINE');
export const SPEECH_STATE = Symbol('SPEECH_STATE');

export class SpeechSetupError extends Error {}

/**
 * Picks the engine once, at start: whisper.cpp when its model is installed and matches the
 * manifest's sha256; otherwise Debian's PocketSphinx (SPEECH_ENGINE=auto), so transcripts exist
 * out of the box; SPEECH_ENGINE=whisper refuses to start without a verified model.
 */
export async function selectSpeechEngine(
  config: AppConfig,
  manifest: ModelEntry[] = MODEL_MANIFEST,
): Promise<{ engine: SpeechEngine; state: SpeechState }> {
  const entry = manifestEntry(config.WHISPER_MODEL, manifest);
  const install = `install it with: npm run models -- install ${entry.name} (or import a file copied in by hand: npm run models -- import ${entry.name} <file>)`;
  if (config.SPEECH_ENGINE !== 'pocketsphinx') {
    const verified = await verifyModel(config.WHISPER_MODELS_DIR, entry);
    if (verified.ok && config.WHISPER_CLI) {
      // whisper.cpp's own program: a GPU host's CUDA build (docker/worker-gpu.Dockerfile)
      let engine: WhisperCliEngine;
      try {
        engine = new WhisperCliEngine({
          binary: config.WHISPER_CLI,
          modelPath: verified.path,
          threads: config.WHISPER_THREADS,
          beamSize: config.WHISPER_BEAM_SIZE,
          language: config.WHISPER_LANGUAGE === 'course' ? 'auto' : config.WHISPER_LANGUAGE,
          useGpu: config.WHISPER_USE_GPU,
          dtw: dtwPresetFor(verified.path),
          englishOnly: entry.englishOnly,
        });
      } catch (e) {
        throw new SpeechSetupError((e as Error).message);
      }
      // a program that is there but cannot run (a shared library missing: the CPU image lacked
      // libgomp1 until 2026-12-06) would fail every transcription: the worker refuses to start
      try {
        await engine.check();
      } catch (e) {
        throw new SpeechSetupError(
          `whisper.cpp's program ${config.WHISPER_CLI} (WHISPER_CLI) cannot run: ${(e as Error).message}`,
        );
      }
      return {
        engine,
        state: {
          engine: engine.name,
          model: engine.model,
          status: 'ready',
          detail: `program ${config.WHISPER_CLI}, GPU ${config.WHISPER_USE_GPU ? 'on' : 'off'}, word times by DTW, installed ${verified.via === 'pypi' ? 'from the Python package index (converted)' : 'from the official file'}`,
        },
      };
    }
    if (verified.ok) {
      const engine = new WhisperCppEngine({
        modelPath: verified.path,
        threads: config.WHISPER_THREADS,
        beamSize: config.WHISPER_BEAM_SIZE,
        language: config.WHISPER_LANGUAGE === 'course' ? 'auto' : config.WHISPER_LANGUAGE,
        useGpu: config.WHISPER_USE_GPU,
        englishOnly: entry.englishOnly,
      });
      return {
        engine,
        state: {
          engine: engine.name,
          model: engine.model,
          status: 'ready',
          detail: `installed ${verified.via === 'pypi' ? 'from the Python package index (converted)' : 'from the official file'}`,
        },
      };
    }
    if (config.SPEECH_ENGINE === 'whisper')
      throw new SpeechSetupError(
        `SPEECH_ENGINE=whisper but the Whisper model ${entry.name} is unavailable: ${verified.reason}; ${install}`,
      );
    const engine = new PocketSphinxEngine();
    return {
      engine,
      state: {
        engine: engine.name,
        model: engine.model,
        status: 'fallback',
        detail: `Whisper model ${entry.name} unavailable (${verified.reason}); ${install}`,
      },
    };
  }
  const engine = new PocketSphinxEngine();
  return { engine, state: { engine: engine.name, model: engine.model, status: 'ready' } };
}
