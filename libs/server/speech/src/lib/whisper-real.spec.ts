import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_MANIFEST, verifyModel } from './models';
import { normaliseWords, wordErrors } from './wer';
import { WhisperCppEngine } from './whisper-cpp.engine';
import { dtwPresetFor, WhisperCliEngine } from './whisper-cli.engine';

/**
 * whisper.cpp on real weights (tiny.en and multilingual base, provisioned by npm test into
 * REHEARSE_WHISPER_MODELS_DIR from the model's home or the Python package index), on real and
 * synthetic speech. These fail when Whisper's words, their timings or the language are wrong.
 */
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../../../../../shared/asr');
const JFK = join(ASR, 'samples/jfk.wav');
const JFK_TEXT =
  'And so my fellow Americans ask not what your country can do for you ask what you can do for your country';
const MODELS = process.env['REHEARSE_WHISPER_MODELS_DIR'] ?? join(process.env['HOME'] ?? '', '.cache/rehearse/models');
const ROOT = join(__dirname, '../../../../..');
/**
 * One thread per transcription: Jest runs two test files at once on two cores, and whisper.cpp's
 * threads wait for each other by spinning, so with both cores busy two threads cost far more CPU
 * than one (jfk.wav on tiny.en: 9.9 s against 1.8 s) and slow the other file down too.
 */
const THREADS = 1;

const pcmOf = (args: string[]): Float32Array => {
  const out = execFileSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', ...args, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 },
  );
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
};

async function modelPath(name: string): Promise<string> {
  const entry = MODEL_MANIFEST.find((m) => m.name === name);
  const v = entry ? await verifyModel(MODELS, entry) : { ok: false as const, reason: 'unknown model' };
  if (!v.ok)
    throw new Error(
      `real Whisper weights for ${name} are missing (${v.reason}); npm test installs them: WHISPER_MODELS_DIR=${MODELS} npm run models -- install ${name} --from auto`,
    );
  return v.path;
}

function monotonic(words: { start: number; end: number }[], duration: number): void {
  for (let i = 0; i < words.length; i++) {
    expect(words[i].start).toBeGreaterThanOrEqual(0);
    expect(words[i].end).toBeGreaterThanOrEqual(words[i].start);
    expect(words[i].end).toBeLessThanOrEqual(duration + 0.01);
    if (i) expect(words[i].start).toBeGreaterThanOrEqual(words[i - 1].start);
  }
}

/** A sentence with three fillers spoken by espeak-ng into `dir`: the WAV's path. */
function spokenFillers(dir: string, name: string): string {
  const wav = join(dir, name);
  execFileSync('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '150',
    '-w',
    wav,
    'So, um, I think that, uh, we should, um, check your order first.',
  ]);
  return wav;
}

/** jfk.wav three times, then spokenFillers (about 37 s: two parts) */
function jfkThenFillers(dir: string): Float32Array {
  const wav = spokenFillers(dir, 'fillers-late.wav');
  return pcmOf([
    '-i',
    JFK,
    '-i',
    JFK,
    '-i',
    JFK,
    '-i',
    wav,
    '-filter_complex',
    '[3]aresample=16000[f];[0][1][2][f]concat=n=4:v=0:a=1',
  ]);
}

/** every word of jfkThenFillers, in time, with the fillers after 30 s written down */
function expectLongAnswerHeard(t: {
  text: string;
  words: { text: string; start: number; end: number }[];
  audioSeconds: number;
}): void {
  const late = normaliseWords(
    t.words
      .filter((w) => w.start > 32.5)
      .map((w) => w.text)
      .join(' '),
  );
  expect(late.filter((w) => ['um', 'uh', 'umm', 'er'].includes(w)).length).toBeGreaterThanOrEqual(2);
  const said = `${Array(3).fill(JFK_TEXT).join(' ')} so i think that we should check your order first`;
  expect(wordErrors(said, t.text.replace(/\b(um+|uh|er)\b/gi, '')).wer).toBeLessThanOrEqual(0.1);
  monotonic(t.words, t.audioSeconds);
}

describe('Whisper on real weights (whisper.cpp built from source, DTW word times)', () => {
  let tiny: WhisperCliEngine;
  let base: WhisperCliEngine;
  let scratch: string;
  let binary: string;
  const cli = async (name: string, extra: { promptFillers?: boolean } = {}) => {
    const path = await modelPath(name);
    return new WhisperCliEngine({
      binary,
      modelPath: path,
      threads: THREADS,
      beamSize: 1,
      language: 'en',
      useGpu: false,
      dtw: dtwPresetFor(path),
      englishOnly: name.endsWith('.en'),
      ...extra,
    });
  };

  beforeAll(async () => {
    binary =
      execFileSync('bash', [join(ROOT, 'tools/scripts/build-whisper-cli.sh')], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop() ?? '';
    tiny = await cli('tiny.en');
    base = await cli('base');
    scratch = await mkdtemp(join(tmpdir(), 'rehearse-whisper-real-'));
  }, 300_000);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  /** jfk.wav through tiny.en, transcribed once for the tests that read it (whichever runs first) */
  let jfk: ReturnType<WhisperCliEngine['transcribe']> | undefined;
  const jfkByTiny = () => (jfk ??= tiny.transcribe(pcmOf(['-i', JFK]), { language: 'en' }));
  /** jfkThenFillers through tiny.en, likewise once */
  let long: ReturnType<WhisperCliEngine['transcribe']> | undefined;
  const longByTiny = () => (long ??= tiny.transcribe(jfkThenFillers(scratch), { language: 'en' }));

  it('transcribes jfk.wav to its known sentence, one timed word per word', async () => {
    const t = await jfkByTiny();
    expect(wordErrors(JFK_TEXT, t.text).wer).toBeLessThanOrEqual(0.05);
    expect(t.words.map((w) => normaliseWords(w.text).join(' '))).toEqual(normaliseWords(JFK_TEXT));
    monotonic(t.words, 11);
    // "And" begins within the first second; "country" is the last word and ends near 10–11 s
    expect(t.words[0].start).toBeLessThan(1);
    expect(t.words[t.words.length - 1].end).toBeGreaterThan(9.5);
  });

  it('places words in time: speech after a long silence starts after it, nothing is heard in the silence', async () => {
    // 2 s silence, jfk (11 s), 4 s silence, jfk again: the second "And" starts near 17 s
    const pcm = pcmOf([
      '-f',
      'lavfi',
      '-t',
      '2',
      '-i',
      'anullsrc=r=16000:cl=mono',
      '-i',
      JFK,
      '-f',
      'lavfi',
      '-t',
      '4',
      '-i',
      'anullsrc=r=16000:cl=mono',
      '-i',
      JFK,
      '-filter_complex',
      '[0][1][2][3]concat=n=4:v=0:a=1',
    ]);
    const t = await tiny.transcribe(pcm, { language: 'en' });
    monotonic(t.words, 28);
    expect(wordErrors(`${JFK_TEXT} ${JFK_TEXT}`, t.text).wer).toBeLessThanOrEqual(0.1);
    const second = t.words.findIndex((w, i) => i > 5 && normaliseWords(w.text)[0] === 'and');
    expect(t.words[second].start).toBeGreaterThan(16.3);
    expect(t.words[second].start).toBeLessThan(17.8);
    expect(t.words.filter((w) => w.start > 13.6 && w.end < 16.4)).toEqual([]);
    expect(t.words[0].start).toBeGreaterThan(1.5);
  });

  it('long answers cross the 30-second windows: every word, timed to the end', async () => {
    // jfk.wav three times, then a sentence with fillers: about 37 s, decoded in two parts
    const t = await longByTiny();
    expectLongAnswerHeard(t);
    expect(t.audioSeconds).toBeGreaterThan(35);
    expect(t.words.filter((w) => w.start > 30).length).toBeGreaterThan(8);
    expect(t.words[t.words.length - 1].end).toBeGreaterThan(t.audioSeconds - 2.5);
  }, 180_000);

  it('passes the course language through: Dutch speech in Dutch with a multilingual model; an English-only model refuses it', async () => {
    const wav = join(scratch, 'nl.wav');
    execFileSync('espeak-ng', [
      '-v',
      'nl',
      '-s',
      '140',
      '-w',
      wav,
      'Goedemiddag, ik begrijp dat uw bestelling te laat is. Ik ga het direct voor u uitzoeken.',
    ]);
    const pcm = pcmOf(['-i', wav]);
    const dutch = await base.transcribe(pcm, { language: 'nl' });
    expect(dutch.language).toBe('nl');
    const heard = new Set(normaliseWords(dutch.text));
    expect(['ik', 'voor', 'u', 'uitzoeken', 'direct', 'is'].filter((w) => heard.has(w)).length).toBeGreaterThanOrEqual(
      4,
    );
    const english = await base.transcribe(pcm, { language: 'en' });
    expect(english.language).toBe('en');
    expect(normaliseWords(english.text)).not.toContain('uitzoeken');
    await expect(tiny.transcribe(pcm, { language: 'nl' })).rejects.toThrow(/only an English model/);
  });

  it('silence, a steady tone and an empty or broken signal give no words and no error', async () => {
    for (const pcm of [
      pcmOf(['-f', 'lavfi', '-t', '8', '-i', 'anullsrc=r=16000:cl=mono']),
      pcmOf(['-f', 'lavfi', '-t', '5', '-i', 'sine=f=440:sample_rate=16000,volume=0.3']),
      pcmOf(['-f', 'lavfi', '-t', '6', '-i', 'anoisesrc=r=16000:a=0.002:c=pink:seed=7']),
      new Float32Array(0),
      new Float32Array(16_000).fill(Number.NaN),
    ]) {
      const t = await tiny.transcribe(pcm, { language: 'en' });
      expect({ words: t.words, text: t.text }).toEqual({ words: [], text: '' });
    }
  });

  it('music-like sound (chords changing) yields no invented words', async () => {
    const pcm = pcmOf([
      '-f',
      'lavfi',
      '-t',
      '6',
      '-i',
      "aevalsrc='0.2*sin(2*PI*(220+110*floor(t))*t)+0.2*sin(2*PI*(330+110*floor(t))*t)':s=16000",
    ]);
    const t = await tiny.transcribe(pcm, { language: 'en' });
    expect(t.words.length).toBeLessThanOrEqual(2);
  });

  it('writes the fillers down ("um", "uh") when prompted with disfluencies, as Whisper leaves them out otherwise', async () => {
    const pcm = pcmOf(['-i', spokenFillers(scratch, 'fillers.wav')]);
    const fillers = (text: string) =>
      normaliseWords(text).filter((w) => ['um', 'uh', 'umm', 'er', 'hmm'].includes(w)).length;
    const prompted = await tiny.transcribe(pcm, { language: 'en' });
    expect(fillers(prompted.text)).toBeGreaterThanOrEqual(2);
    const plain = await cli('tiny.en', { promptFillers: false });
    const unprompted = await plain.transcribe(pcm, { language: 'en' });
    expect(fillers(unprompted.text)).toBeLessThanOrEqual(fillers(prompted.text));
  });

  it('writes the fillers down after the first 30 seconds too (a long answer is decoded in parts, each prompted)', async () => {
    // (expectLongAnswerHeard: at least two fillers among the words after 32.5 s)
    expectLongAnswerHeard(await longByTiny());
  }, 180_000);

  it('gives each word the engine’s confidence', async () => {
    const t = await jfkByTiny();
    expect(t.words.every((w) => typeof w.confidence === 'number' && w.confidence > 0 && w.confidence <= 1)).toBe(true);
  });
});

describe('the built-in binding on real weights (no DTW: its word times are whisper.cpp’s heuristic ones)', () => {
  it('transcribes jfk.wav word for word, and a long answer part by part', async () => {
    const engine = new WhisperCppEngine({
      modelPath: await modelPath('tiny.en'),
      threads: THREADS,
      beamSize: 1,
      language: 'en',
      englishOnly: true,
    });
    try {
      const t = await engine.transcribe(pcmOf(['-i', JFK]), { language: 'en' });
      expect(t.words.map((w) => normaliseWords(w.text).join(' '))).toEqual(normaliseWords(JFK_TEXT));
      monotonic(t.words, 11);
      // a long answer in parts too: every word, the fillers after 30 s, times in the whole answer
      const dir = await mkdtemp(join(tmpdir(), 'rehearse-whisper-binding-'));
      try {
        expectLongAnswerHeard(await engine.transcribe(jfkThenFillers(dir), { language: 'en' }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      await engine.close();
    }
  });
});

describe('engines read canonical PCM', () => {
  it('the same sound reaches the engines as the same samples whatever the WAV header around it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-pcm-'));
    try {
      const plain = join(dir, 'plain.wav');
      const tagged = join(dir, 'tagged.wav');
      execFileSync('ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-i',
        JFK,
        '-map_metadata',
        '-1',
        '-fflags',
        '+bitexact',
        '-flags:a',
        '+bitexact',
        plain,
      ]);
      execFileSync('ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-i',
        JFK,
        '-metadata',
        'title=A title that makes the header longer',
        '-metadata',
        'artist=Someone',
        tagged,
      ]);
      expect(existsSync(tagged)).toBe(true);
      // the headers differ in length; what an engine is given (16 kHz mono samples) is identical,
      // sample for sample, so the words cannot differ (an engine transcribes the samples alone)
      expect(statSync(tagged).size).toBeGreaterThan(statSync(plain).size);
      const a = pcmOf(['-i', plain]);
      const b = pcmOf(['-i', tagged]);
      expect(a.length).toBeGreaterThan(16_000 * 10);
      expect(
        Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
      ).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
