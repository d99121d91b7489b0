import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio } from '@napi-rs/whisper';
import { downloadModel, importModel, ModelEntry, ModelError, verifyModel } from './models';
import { noSpeechDetected } from './speech-engine';
import { WhisperCppEngine } from './whisper-cpp.engine';
import { parsePocketSphinx, PocketSphinxEngine, wavFromPcm } from './pocketsphinx.engine';

/** The shared ASR fixtures beside the repository (../shared/asr); see its README. */
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../../../../../shared/asr');
const TEST_MODEL = join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin');
const JFK = join(ASR, 'samples/jfk.wav');

describe('whisper.cpp engine', () => {
  it('finds the shared test files', () => {
    expect(existsSync(TEST_MODEL)).toBe(true);
    expect(existsSync(JFK)).toBe(true);
  });

  it('loads a model and runs the full compute graph off the event loop; an empty result is "no speech detected"', async () => {
    const engine = new WhisperCppEngine({
      modelPath: TEST_MODEL,
      // one thread: whisper.cpp's threads spin while they wait, costly beside the other test file
      threads: 1,
      language: 'en',
      beamSize: 1,
      maxTokens: 1,
    });
    try {
      const pcm = decodeAudio(readFileSync(JFK), 'jfk.wav');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      const transcript = await engine.transcribe(pcm);
      clearInterval(timer);
      expect(transcript).toMatchObject({
        engine: 'whisper.cpp',
        model: 'for-tests-ggml-tiny.en.bin',
        language: 'en',
        text: '',
        words: [],
      });
      expect(transcript.audioSeconds).toBeCloseTo(11, 1);
      expect(noSpeechDetected(transcript)).toBe(true);
      // the event loop kept running while the model computed
      expect(ticks).toBeGreaterThan(5);
    } finally {
      await engine.close();
    }
  });

  it('says how to install a model when the file is missing', () => {
    expect(
      () =>
        new WhisperCppEngine({ modelPath: '/nonexistent/ggml-base.en.bin', threads: 1, language: 'en', beamSize: 1 }),
    ).toThrow(/npm run models -- install/);
  });
});

describe('model provisioning', () => {
  let dir: string;
  const testModelEntry: ModelEntry = {
    name: 'for-tests',
    file: 'for-tests-ggml-tiny.en.bin',
    bytes: 586836,
    sha256: 'dd6b7796204a1cdf7164666423034e6e1a7a3e9f5c22327b4b7974c4584bd82d',
    url: 'http://127.0.0.1:9/unreachable',
    englishOnly: true,
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-models-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('imports a file copied in by hand after checking size and hash, then verifies it', async () => {
    expect(await verifyModel(dir, testModelEntry)).toEqual({
      ok: false,
      reason: expect.stringMatching(/not installed/),
    });
    const path = await importModel(TEST_MODEL, dir, testModelEntry);
    expect(await verifyModel(dir, testModelEntry)).toEqual({ ok: true, path, via: 'official' });
  });

  it('refuses a file of the wrong size or hash', async () => {
    const fake = join(dir, 'fake.bin');
    await writeFile(fake, randomBytes(1000));
    await expect(importModel(fake, dir, testModelEntry)).rejects.toThrow(/1000 bytes/);
    await expect(importModel(TEST_MODEL, dir, { ...testModelEntry, sha256: '0'.repeat(64) })).rejects.toThrow(/sha256/);
    expect(await readdir(dir)).toEqual(['fake.bin']);
  });

  it('fails a download clearly when the internet is out of reach', async () => {
    const err = await downloadModel(dir, testModelEntry).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/Cannot download for-tests/);
    expect((err as Error).message).toMatch(/npm run models -- import for-tests <path>/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps a downloaded file only when its hash matches', async () => {
    const good = randomBytes(2048);
    const entry = { ...testModelEntry, bytes: good.length, sha256: createHash('sha256').update(good).digest('hex') };
    const serve = (body: Buffer) => (async () => new Response(new Uint8Array(body))) as unknown as typeof fetch;
    await expect(downloadModel(dir, entry, serve(randomBytes(2048)))).rejects.toThrow(/discarded/);
    expect(await readdir(dir)).toEqual([]);
    const path = await downloadModel(dir, entry, serve(good));
    expect(readFileSync(path).equals(good)).toBe(true);
  });
});

describe('PocketSphinx engine (Debian)', () => {
  it('parses word timings, dropping markers and pronunciation variants', () => {
    const out =
      'and not\n<s> 3.170 3.280 1.000300\nand(2) 3.290 3.730 0.985603\n<sil> 3.740 3.980 0.828680\nnot 3.990 4.300 0.817730\n[NOISE] 4.3 4.4 0.1\n</s> 4.310 4.760 1.000000\n';
    expect(parsePocketSphinx(out)).toEqual([
      { text: 'and', start: 3.29, end: 3.73, confidence: 0.985603 },
      { text: 'not', start: 3.99, end: 4.3, confidence: 0.81773 },
    ]);
  });

  it('writes a valid 16-bit WAV', () => {
    const wav = wavFromPcm(new Float32Array([0, 1, -1, 0.5]));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16000);
    expect(wav.readInt16LE(44 + 2)).toBe(32767);
    expect(wav.readInt16LE(44 + 4)).toBe(-32768); // as ffmpeg converts float to s16: x * 32768, clipped
    expect(wav.readInt16LE(44 + 6)).toBe(16384);
    expect(wav.length).toBe(44 + 8);
  });

  it('transcribes real speech with word timings', async () => {
    const engine = new PocketSphinxEngine();
    const pcm = decodeAudio(readFileSync(JFK), 'jfk.wav');
    const t = await engine.transcribe(pcm, { language: 'en' });
    expect(t.engine).toBe('pocketsphinx');
    expect(noSpeechDetected(t)).toBe(false);
    // PocketSphinx is far less accurate than Whisper (and sensitive to framing), so assert what it
    // reliably gives: many timed words, in order, inside the 11 s clip, including words that are there
    expect(t.words.length).toBeGreaterThan(10);
    expect(t.text.split(' ')).toEqual(expect.arrayContaining(['country', 'you', 'and']));
    for (let i = 0; i < t.words.length; i++) {
      const w = t.words[i];
      expect(w.end).toBeGreaterThanOrEqual(w.start);
      expect(w.end).toBeLessThanOrEqual(11.1);
      if (i) expect(w.start).toBeGreaterThanOrEqual(t.words[i - 1].end);
    }
  });

  it('answers silence with no words', async () => {
    const t = await new PocketSphinxEngine().transcribe(new Float32Array(16_000 * 2));
    expect(noSpeechDetected(t)).toBe(true);
  });

  it('refuses a language it has no model for', async () => {
    await expect(new PocketSphinxEngine().transcribe(new Float32Array(16000), { language: 'nl' })).rejects.toThrow(
      /only an English model/,
    );
  });
});
