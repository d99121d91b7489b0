import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@rehearse/server/core';
import { ModelEntry, PocketSphinxEngine, WhisperCliEngine, WhisperCppEngine } from '@rehearse/server/speech';
import { selectSpeechEngine, SpeechSetupError } from './speech-setup';

const ROOT = join(__dirname, '../../../../..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(ROOT, '../shared/asr');
const TEST_MODEL = join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin');
// the shared test model stands in for tiny.en: a manifest entry with its real size and hash
const MANIFEST: ModelEntry[] = [
  {
    name: 'tiny.en',
    file: 'ggml-tiny.en.bin',
    bytes: 586836,
    sha256: 'dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d',
    url: 'http://127.0.0.1:9/unreachable',
    englishOnly: true,
  },
];

describe('speech engine selection at worker start', () => {
  let empty: string;
  let installed: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'rehearse-models-empty-'));
    installed = await mkdtemp(join(tmpdir(), 'rehearse-models-'));
    await copyFile(TEST_MODEL, join(installed, 'ggml-tiny.en.bin'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
    await rm(installed, { recursive: true, force: true });
  });
  const config = (env: Record<string, string>) => loadConfig({ WHISPER_MODEL: 'tiny.en', ...env });

  it('falls back to PocketSphinx without a model, saying how to install one', async () => {
    const { engine, state } = await selectSpeechEngine(config({ WHISPER_MODELS_DIR: empty }), MANIFEST);
    expect(engine).toBeInstanceOf(PocketSphinxEngine);
    expect(state).toMatchObject({ engine: 'pocketsphinx', status: 'fallback' });
    expect(state.detail).toMatch(/npm run models -- install tiny\.en/);
  });

  it('refuses to start when Whisper is required and its model is missing', async () => {
    await expect(
      selectSpeechEngine(config({ WHISPER_MODELS_DIR: empty, SPEECH_ENGINE: 'whisper' }), MANIFEST),
    ).rejects.toThrow(SpeechSetupError);
  });

  it('uses the built-in binding when the model verifies and no program is configured', async () => {
    const { engine, state } = await selectSpeechEngine(config({ WHISPER_MODELS_DIR: installed }), MANIFEST);
    expect(engine).toBeInstanceOf(WhisperCppEngine);
    expect(state).toEqual({
      engine: 'whisper.cpp',
      model: 'ggml-tiny.en.bin',
      status: 'ready',
      detail: 'installed from the official file',
    });
    await engine.close();
  });

  it('uses whisper.cpp\u2019s program (built from source, or a GPU host\u2019s CUDA build) when WHISPER_CLI is set, and reports it', async () => {
    const binary =
      execFileSync('bash', [join(ROOT, 'tools/scripts/build-whisper-cli.sh')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop() ?? '';
    const { engine, state } = await selectSpeechEngine(
      config({ WHISPER_MODELS_DIR: installed, WHISPER_CLI: binary, WHISPER_USE_GPU: 'true' }),
      MANIFEST,
    );
    expect(engine).toBeInstanceOf(WhisperCliEngine);
    expect(state).toEqual({
      engine: 'whisper.cpp',
      model: 'ggml-tiny.en.bin',
      status: 'ready',
      detail: `program ${binary}, GPU on, word times by DTW, installed from the official file`,
    });
  }, 300_000);

  it('refuses to start when WHISPER_CLI names a program that cannot run, saying why', async () => {
    // as the dynamic loader answers for a program whose shared library is missing (the CPU
    // image's whisper-cli without libgomp1): the worker said "ready" and failed every answer
    const broken = join(installed, 'whisper-cli');
    await writeFile(
      broken,
      `#!/bin/sh\necho "${broken}: error while loading shared libraries: libgomp.so.1: cannot open shared object file: No such file or directory" >&2\nexit 127\n`,
      { mode: 0o755 },
    );
    const selected = selectSpeechEngine(config({ WHISPER_MODELS_DIR: installed, WHISPER_CLI: broken }), MANIFEST);
    await expect(selected).rejects.toThrow(SpeechSetupError);
    await expect(selected).rejects.toThrow(
      /WHISPER_CLI\) cannot run: .*libgomp\.so\.1: cannot open shared object file/,
    );
  });

  it('refuses to start when WHISPER_CLI names a program that is not there', async () => {
    await expect(
      selectSpeechEngine(config({ WHISPER_MODELS_DIR: installed, WHISPER_CLI: '/nonexistent/whisper-cli' }), MANIFEST),
    ).rejects.toThrow(/WHISPER_CLI/);
  });
});
