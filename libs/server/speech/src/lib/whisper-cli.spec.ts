import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio } from '@napi-rs/whisper';
import { noSpeechDetected } from './speech-engine';
import { parseWhisperCliJson, WhisperCliEngine, whisperCliArgs } from './whisper-cli.engine';

const ROOT = join(__dirname, '../../../../..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(ROOT, '../shared/asr');
const TEST_MODEL = join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin');
const JFK = join(ASR, 'samples/jfk.wav');

/** The shape whisper.cpp writes with --output-json-full --max-len 1 --split-on-word (abridged: no systeminfo/params). */
const FULL_JSON = {
  result: { language: 'en' },
  transcription: [
    {
      timestamps: { from: '00:00:00,000', to: '00:00:00,320' },
      offsets: { from: 0, to: 320 },
      text: ' And',
      tokens: [
        { text: '[_BEG_]', timestamps: { from: '00:00:00,000', to: '00:00:00,000' }, offsets: { from: 0, to: 0 }, id: 50363, p: 0.97, t_dtw: -1 },
        { text: ' And', timestamps: { from: '00:00:00,000', to: '00:00:00,320' }, offsets: { from: 0, to: 320 }, id: 843, p: 0.5, t_dtw: -1 },
      ],
    },
    {
      timestamps: { from: '00:00:00,320', to: '00:00:00,610' },
      offsets: { from: 320, to: 610 },
      text: ' so,',
      tokens: [
        { text: ' so', offsets: { from: 320, to: 550 }, id: 523, p: 0.9, t_dtw: -1 },
        { text: ',', offsets: { from: 550, to: 610 }, id: 11, p: 0.7, t_dtw: -1 },
        { text: '[_TT_31]', offsets: { from: 610, to: 610 }, id: 50394, p: 0.2, t_dtw: -1 },
      ],
    },
    { timestamps: { from: '00:00:00,610', to: '00:00:00,610' }, offsets: { from: 610, to: 610 }, text: ' ', tokens: [] },
    { offsets: { from: 7100, to: 7420 }, text: ' country.' },
  ],
};

describe('whisper.cpp command-line engine (the GPU hosts\u2019 engine)', () => {
  it('reads words, times (ms → s) and confidence (mean of text tokens, special tokens ignored) from the full JSON', () => {
    expect(parseWhisperCliJson(FULL_JSON)).toEqual({
      text: 'And so, country.',
      words: [
        { text: 'And', start: 0, end: 0.32, confidence: 0.5 },
        { text: 'so,', start: 0.32, end: 0.61, confidence: 0.8 },
        { text: 'country.', start: 7.1, end: 7.42, confidence: null },
      ],
    });
    expect(parseWhisperCliJson({ transcription: [] })).toEqual({ text: '', words: [] });
    expect(() => parseWhisperCliJson({ nothing: true })).toThrow(/no transcription/);
  });

  it('asks for word-level JSON with the configured threads, beam and language; --no-gpu only when the GPU is off', () => {
    const o = { binary: '/x/whisper-cli', modelPath: '/m/ggml-base.en.bin', threads: 4, beamSize: 5, language: 'en', useGpu: true };
    const args = whisperCliArgs(o, '/t/audio.wav', '/t/out', 'nl');
    expect(args).toEqual(['--model', '/m/ggml-base.en.bin', '--file', '/t/audio.wav', '--output-file', '/t/out', '--output-json-full', '--max-len', '1', '--split-on-word', '--threads', '4', '--beam-size', '5', '--language', 'nl']);
    expect(whisperCliArgs({ ...o, useGpu: false }, '/t/a.wav', '/t/out', 'en')).toContain('--no-gpu');
  });

  it('refuses to start without its program or its model, saying what to do', () => {
    expect(() => new WhisperCliEngine({ binary: '/bin/sh', modelPath: '/nonexistent/ggml-base.en.bin', threads: 1, beamSize: 1, language: 'en', useGpu: false })).toThrow(/npm run models -- install/);
    expect(() => new WhisperCliEngine({ binary: '/nonexistent/whisper-cli', modelPath: TEST_MODEL, threads: 1, beamSize: 1, language: 'en', useGpu: false })).toThrow(/WHISPER_CLI/);
  });

  describe('with a real whisper.cpp program built from source (CPU)', () => {
    let binary: string;
    let scratch: string;
    beforeAll(async () => {
      binary = execFileSync('bash', [join(ROOT, 'tools/scripts/build-whisper-cli.sh')], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
      scratch = await mkdtemp(join(tmpdir(), 'rehearse-cli-test-'));
    }, 300_000);
    afterAll(() => rm(scratch, { recursive: true, force: true }));

    it('runs the model on real audio; the test model\u2019s empty output is "no speech detected", and no temporary file is left', async () => {
      const engine = new WhisperCliEngine({ binary, modelPath: TEST_MODEL, threads: 2, beamSize: 1, language: 'en', useGpu: false });
      const before = (await readdir(tmpdir())).filter((f) => f.startsWith('rehearse-whisper-'));
      // 3 s of jfk keep the empty model's fallback decoding short
      const pcm = decodeAudio(readFileSync(JFK), 'jfk.wav').subarray(0, 3 * 16_000);
      const t = await engine.transcribe(pcm);
      expect(t).toMatchObject({ engine: 'whisper.cpp', model: 'for-tests-ggml-tiny.en.bin', language: 'en', text: '', words: [] });
      expect(t.audioSeconds).toBeCloseTo(3, 3);
      expect(noSpeechDetected(t)).toBe(true);
      expect((await readdir(tmpdir())).filter((f) => f.startsWith('rehearse-whisper-'))).toEqual(before);
    }, 120_000);

    it('fails with whisper.cpp\u2019s own reason when the model file is not a model', async () => {
      const bad = join(scratch, 'ggml-broken.bin');
      await writeFile(bad, Buffer.from('this is not a ggml file'));
      const engine = new WhisperCliEngine({ binary, modelPath: bad, threads: 1, beamSize: 1, language: 'en', useGpu: false });
      await expect(engine.transcribe(new Float32Array(16_000))).rejects.toThrow(/^whisper\.cpp failed \(\d+\): .*(model|magic)/i);
    }, 60_000);
  });
});
