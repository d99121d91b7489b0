import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio } from '@napi-rs/whisper';
import { noSpeechDetected } from './speech-engine';
import {
  dtwPresetFor,
  probeWhisperCli,
  spanWords,
  WhisperCliEngine,
  whisperCliArgs,
  wordsFromCliJson,
} from './whisper-cli.engine';
import { planParts, unheardFrom } from './parts';
import { voiceActivity, voicedRuns } from '@rehearse/server/assessment';
import { withoutSoundDescriptions } from './whisper-cpp.engine';

const ROOT = join(__dirname, '../../../../..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(ROOT, '../shared/asr');
const TEST_MODEL = join(ASR, 'models/whisper-cpp-for-tests-NOT-REAL/for-tests-ggml-tiny.en.bin');
const JFK = join(ASR, 'samples/jfk.wav');

/** The shape whisper.cpp writes with --output-json-full and --dtw (abridged: no systeminfo/params). */
const FULL_JSON = {
  result: { language: 'en' },
  transcription: [
    {
      offsets: { from: 0, to: 2600 },
      text: ' And so, my fellow Americans',
      tokens: [
        { text: '[_BEG_]', offsets: { from: 0, to: 0 }, id: 50363, p: 0.97, t_dtw: -1 },
        { text: ' And', offsets: { from: 0, to: 320 }, id: 843, p: 0.5, t_dtw: 32 },
        { text: ' so', offsets: { from: 320, to: 550 }, id: 523, p: 0.9, t_dtw: 60 },
        { text: ',', offsets: { from: 550, to: 610 }, id: 11, p: 0.7, t_dtw: 64 },
        { text: ' my', offsets: { from: 610, to: 900 }, id: 616, p: 0.8, t_dtw: 90 },
        { text: ' fellow', offsets: { from: 900, to: 1300 }, id: 5891, p: 1, t_dtw: 124 },
        { text: ' Americ', offsets: { from: 1300, to: 2000 }, id: 3400, p: 0.6, t_dtw: 170 },
        { text: 'ans', offsets: { from: 2000, to: 2600 }, id: 504, p: 0.8, t_dtw: 200 },
        { text: '[_TT_130]', offsets: { from: 2600, to: 2600 }, id: 50494, p: 0.2, t_dtw: -1 },
      ],
    },
    { offsets: { from: 7100, to: 7420 }, text: ' country.' },
  ],
};

/** Writes an executable bash stand-in for whisper.cpp's program at `dir`/`name`; returns its path. */
async function standIn(dir: string, name: string, script: (path: string) => string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, script(path));
  await chmod(path, 0o700);
  return path;
}

describe('whisper.cpp command-line engine', () => {
  it('reads words from the tokens: onsets from DTW (10 ms units), word pieces and punctuation joined, confidence the mean of the tokens, special tokens ignored', () => {
    expect(wordsFromCliJson(FULL_JSON)).toEqual([
      { text: 'And', at: 0.32, confidence: 0.5 },
      { text: 'so,', at: 0.6, confidence: 0.8 },
      { text: 'my', at: 0.9, confidence: 0.8 },
      { text: 'fellow', at: 1.24, confidence: 1 },
      { text: 'Americans', at: 1.7, confidence: 0.7 },
      { text: 'country.', at: 7.1, confidence: null },
    ]);
    // without DTW the token offsets (ms) are the onsets
    const plain = JSON.parse(JSON.stringify(FULL_JSON).replace(/"t_dtw":\d+/g, '"t_dtw":-1'));
    expect(wordsFromCliJson(plain).map((w) => w.at)).toEqual([0, 0.32, 0.61, 0.9, 1.3, 7.1]);
    expect(wordsFromCliJson({ transcription: [] })).toEqual([]);
    expect(() => wordsFromCliJson({ nothing: true })).toThrow(/no transcription/);
  });

  it('drops the sounds Whisper describes in brackets, over several words too', () => {
    const w = (text: string) => ({ text });
    expect(
      withoutSoundDescriptions([
        w('[phone'),
        w('ringing]'),
        w('Hello'),
        w('(laughs)'),
        w('♪'),
        w('there.'),
        w('[BLANK_AUDIO]'),
      ]).map((x) => x.text),
    ).toEqual(['Hello', 'there.']);
  });

  it('spans words from their onsets to where the voice stops, so pauses are the sound’s own', () => {
    const tokens = [
      { text: 'so', at: 0.5, confidence: 0.9 },
      { text: 'well', at: 0.9, confidence: 0.9 },
      // an onset a little early, in the silence before the voice comes back
      { text: 'then', at: 2.8, confidence: 0.8 },
    ];
    const runs = [
      { start: 0.48, end: 1.3 },
      { start: 3.0, end: 3.4 },
    ];
    expect(spanWords(tokens, runs, 4)).toEqual([
      { text: 'so', start: 0.5, end: 0.9, confidence: 0.9 },
      { text: 'well', start: 0.9, end: 1.3, confidence: 0.9 },
      { text: 'then', start: 3, end: 3.4, confidence: 0.8 },
    ]);
  });

  it('asks for full JSON with DTW times (one decoding per part, without timestamps), the configured threads, beam and language, the filler prompt; --no-gpu only when the GPU is off', () => {
    const o = {
      binary: '/x/whisper-cli',
      modelPath: '/m/ggml-base.en.bin',
      threads: 4,
      beamSize: 5,
      language: 'en',
      useGpu: true,
      dtw: 'base.en',
    };
    const args = whisperCliArgs(o, '/t/audio.wav', '/t/out', 'nl', 'Umm, hmm');
    expect(args).toEqual([
      '--model',
      '/m/ggml-base.en.bin',
      '--file',
      '/t/audio.wav',
      '--output-file',
      '/t/out',
      '--output-json-full',
      '--threads',
      '4',
      '--beam-size',
      '5',
      '--language',
      'nl',
      '--dtw',
      'base.en',
      '--no-timestamps',
      '--prompt',
      'Umm, hmm',
    ]);
    // without DTW the words' times come from the segments' timestamps, and so does the whole decoding's window shift
    expect(whisperCliArgs({ ...o, dtw: undefined }, '/t/a.wav', '/t/out', 'en')).not.toContain('--no-timestamps');
    expect(whisperCliArgs({ ...o, partSeconds: Infinity }, '/t/a.wav', '/t/out', 'en')).not.toContain(
      '--no-timestamps',
    );
    expect(whisperCliArgs({ ...o, useGpu: false, dtw: undefined }, '/t/a.wav', '/t/out', 'en')).toEqual(
      expect.arrayContaining(['--no-gpu']),
    );
    expect(whisperCliArgs({ ...o, dtw: undefined }, '/t/a.wav', '/t/out', 'en')).not.toContain('--dtw');
    expect(
      [
        'ggml-tiny.en.bin',
        'ggml-base.bin',
        'ggml-tiny.en-q8_0.bin',
        'ggml-large-v3.bin',
        'for-tests-ggml-tiny.en.bin',
        'custom.bin',
      ].map(dtwPresetFor),
    ).toEqual(['tiny.en', 'base', 'tiny.en', 'large.v3', 'tiny.en', undefined]);
  });

  it('asks a program that turns flash attention on by default (whisper.cpp 1.8+) to leave it off when DTW times are wanted', () => {
    const o = { binary: '/x/whisper-cli', modelPath: '/m/ggml-tiny.en.bin', threads: 1, beamSize: 1, language: 'en' };
    const modern = { noFlashAttn: true };
    const dtw = whisperCliArgs({ ...o, useGpu: true, dtw: 'tiny.en' }, '/t/a.wav', '/t/out', 'en', undefined, modern);
    expect(dtw.slice(dtw.indexOf('--dtw'), dtw.indexOf('--dtw') + 3)).toEqual(['--dtw', 'tiny.en', '--no-flash-attn']);
    // without DTW flash attention is only faster; a 2024 program knows no such option
    expect(whisperCliArgs({ ...o, useGpu: true }, '/t/a.wav', '/t/out', 'en', undefined, modern)).not.toContain(
      '--no-flash-attn',
    );
    expect(whisperCliArgs({ ...o, useGpu: true, dtw: 'tiny.en' }, '/t/a.wav', '/t/out', 'en')).not.toContain(
      '--no-flash-attn',
    );
  });

  it('reads the program\u2019s options from its --help once, and passes --no-flash-attn only to a program that lists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-fake-'));
    try {
      // stand-ins for the two generations of the program: each prints its usage (on stderr, as
      // whisper.cpp does), notes every call, and writes one word with a DTW time
      const fake = (name: string, usage: string) =>
        standIn(
          dir,
          name,
          (path) => `#!/usr/bin/env bash
echo "$*" >> "${path}.calls"
if [ "$1" = "--help" ]; then echo "usage: ${name} [options] file0 ..." >&2; echo "${usage}" >&2; exit 0; fi
while [ $# -gt 0 ]; do [ "$1" = "--output-file" ] && out="$2"; shift; done
echo '{"transcription":[{"offsets":{"from":0,"to":900},"text":" And","tokens":[{"text":" And","offsets":{"from":0,"to":900},"p":0.9,"t_dtw":32}]}]}' > "$out.json"
`,
        );
      const modern = await fake('whisper-cli', '  -nfa,      --no-flash-attn        [false  ] disable flash attention');
      const old = await fake('main', '  -dtw MODEL --dtw MODEL            [       ] compute token-level timestamps');
      expect(await probeWhisperCli(modern)).toEqual({ noFlashAttn: true });
      expect(await probeWhisperCli(old)).toEqual({ noFlashAttn: false });
      // a build that ends its usage with status 1 is read all the same; a program that cannot run says why
      const strict = await standIn(
        dir,
        'strict-cli',
        () => '#!/usr/bin/env bash\necho "  -nfa, --no-flash-attn [false] disable flash attention" >&2\nexit 1\n',
      );
      expect(await probeWhisperCli(strict)).toEqual({ noFlashAttn: true });
      await expect(probeWhisperCli(join(dir, 'missing-cli'))).rejects.toThrow(/ENOENT/);
      // one the dynamic loader cannot start (status 127 and no usage) is not taken for a build
      // that ends its usage with a non-zero status
      const unloadable = await standIn(
        dir,
        'unloadable-cli',
        () =>
          '#!/usr/bin/env bash\necho "unloadable-cli: error while loading shared libraries: libgomp.so.1: cannot open shared object file" >&2\nexit 127\n',
      );
      await expect(probeWhisperCli(unloadable)).rejects.toThrow(/printed no usage .*libgomp\.so\.1/);
      const pcm = decodeAudio(readFileSync(JFK), 'jfk.wav').subarray(0, 3 * 16_000);
      for (const binary of [modern, old]) {
        const engine = new WhisperCliEngine({
          binary,
          modelPath: TEST_MODEL,
          threads: 1,
          beamSize: 1,
          language: 'en',
          useGpu: false,
          dtw: 'tiny.en',
        });
        expect((await engine.transcribe(pcm)).text).toBe('And');
        expect((await engine.transcribe(pcm)).text).toBe('And');
      }
      const calls = async (binary: string) => (await readFile(`${binary}.calls`, 'utf8')).trim().split('\n');
      // the probe above, the engine's one probe, two transcriptions
      expect((await calls(modern)).filter((c) => c === '--help')).toHaveLength(2);
      expect((await calls(modern)).filter((c) => c.includes('--no-flash-attn'))).toHaveLength(2);
      expect((await calls(old)).filter((c) => c === '--help')).toHaveLength(2);
      expect((await calls(old)).filter((c) => c.includes('--no-flash-attn'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cuts an answer longer than one window into as few parts as fit, of at most 29 s (the last up to 30), at pauses: the latest clear pause, else the widest, else at 29 s', () => {
    const run = (start: number, end: number) => ({ start, end });
    expect(planParts([run(1, 20)], 30)).toEqual([{ start: 0, end: 30 }]);
    // pauses of 0.6 s at 12 and 25 s, a short one (0.15 s) at 27: the latest clear pause, 25 s
    const talk = [run(0.5, 11.7), run(12.3, 24.7), run(25.3, 27), run(27.15, 40), run(40.6, 51)];
    expect(planParts(talk, 51)).toEqual([
      { start: 0, end: 25 },
      { start: 25, end: 51 },
    ]);
    // only short pauses: the widest of them
    expect(planParts([run(0, 14), run(14.1, 22), run(22.25, 45)], 45)).toEqual([
      { start: 0, end: 22.125 },
      { start: 22.125, end: 45 },
    ]);
    // a clear pause at 19 s would leave 32 s, a third window: the widest of the short pauses after it
    expect(planParts([run(0, 18.7), run(19.3, 23.9), run(24.05, 26), run(26.2, 51)], 51)).toEqual([
      { start: 0, end: 26.1 },
      { start: 26.1, end: 51 },
    ]);
    // no pause late enough: the earlier one, and a part more, rather than a cut through a word
    expect(planParts([run(0, 18.7), run(19.3, 51)], 51).map((p) => p.end)).toEqual([19, 48, 51]);
    // speech without a break: at 29 s; every part at most 29 s and the parts end to end
    const parts = planParts([run(0, 100)], 100);
    expect(parts.map((p) => p.end)).toEqual([29, 58, 87, 100]);
    // the last part fills the window rather than leaving a few seconds to a window of their own
    expect(planParts([run(0, 59)], 59).map((p) => p.end)).toEqual([29, 59]);
    for (const [i, p] of parts.entries()) {
      expect(p.end - p.start).toBeLessThanOrEqual(29);
      expect(p.start).toBe(i ? parts[i - 1].end : 0);
    }
  });

  it('notices a part whose decoding stopped short, and where to decode its rest from', () => {
    const run = (start: number, end: number) => ({ start, end });
    const runs = [run(0.5, 9), run(9.6, 15), run(15.8, 27)];
    const part = { start: 0, end: 28 };
    // the last word began at 8.4 s, in the run ending at 9 s; 17 s of voice follow unheard
    expect(unheardFrom(runs, part, 8.4)).toBe(9);
    // an onset in a longer pause (DTW a little off): from the onset, so the run after the pause is heard
    expect(unheardFrom([run(0.5, 8), run(10, 15), run(15.8, 27)], part, 8.4)).toBe(8.4);
    // the last word began at 26 s: nothing left unheard
    expect(unheardFrom(runs, part, 26)).toBeUndefined();
    // under a second of voice after the last word's run
    expect(unheardFrom([run(0.5, 9), run(9.6, 10.4)], part, 8.4)).toBeUndefined();
    // nothing heard at all: decoding the same sound again would hear nothing again
    expect(unheardFrom(runs, part, undefined)).toBeUndefined();
  });

  it('decodes a long answer part by part, one run of the program per part, with the words timed in the whole answer; a part that stopped short has its rest decoded once more', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-parts-'));
    try {
      // stand-ins that note how long each file they are given is, and hear one word in it: at its
      // end ("tail"), or at its start ("short", as when whisper.cpp stops after a first sentence)
      const fake = (name: string, at: string) =>
        standIn(
          dir,
          name,
          (path) => `#!/usr/bin/env bash
if [ "$1" = "--help" ]; then echo "usage: main [options] file0 ..." >&2; exit 0; fi
while [ $# -gt 0 ]; do [ "$1" = "--output-file" ] && out="$2"; [ "$1" = "--file" ] && file="$2"; shift; done
cs=$(( ($(stat -c %s "$file") - 44) * 100 / 32000 ))
echo "$cs" >> "${path}.calls"
t=$(( ${at} ))
echo '{"transcription":[{"offsets":{"from":0,"to":900},"text":" word","tokens":[{"text":" word","offsets":{"from":0,"to":900},"p":0.9,"t_dtw":'$t'}]}]}' > "$out.json"
`,
        );
      const jfk = decodeAudio(readFileSync(JFK), 'jfk.wav');
      const gap = new Float32Array(0.6 * 16_000);
      const pcm = new Float32Array(5 * jfk.length + 4 * gap.length);
      for (let i = 0, at = 0; i < 5; i++, at += jfk.length + gap.length) pcm.set(jfk, at);
      const seconds = pcm.length / 16_000;
      const parts = planParts(voicedRuns(voiceActivity(pcm)), seconds);
      expect(parts.length).toBeGreaterThanOrEqual(2);
      const engine = (binary: string) =>
        new WhisperCliEngine({
          binary,
          modelPath: TEST_MODEL,
          threads: 1,
          beamSize: 1,
          language: 'en',
          useGpu: false,
        });
      const calls = async (binary: string) =>
        (await readFile(`${binary}.calls`, 'utf8'))
          .trim()
          .split('\n')
          .map((cs) => Number(cs) / 100);

      const tail = await fake('tail', 'cs - 50');
      const whole = await engine(tail).transcribe(pcm);
      const heard = await calls(tail);
      expect(heard).toHaveLength(parts.length);
      for (const [i, s] of heard.entries()) {
        expect(s).toBeLessThanOrEqual(i === heard.length - 1 ? 30 : 29);
        expect(s).toBeCloseTo(parts[i].end - parts[i].start, 1);
      }
      // one word per part, heard 0.5 s before its part's end, in the whole answer's time (an onset in
      // a pause moves to where the voice begins, at most 1.5 s on)
      expect(whole.words).toHaveLength(parts.length);
      for (const [i, w] of whole.words.entries()) {
        expect(w.start).toBeGreaterThanOrEqual(parts[i].end - 0.55);
        expect(w.start).toBeLessThanOrEqual(parts[i].end + 1.5);
      }

      const short = await fake('short', '32');
      const cut = await engine(short).transcribe(pcm);
      const tried = await calls(short);
      // each part, then its unheard rest once (never a third time)
      expect(tried).toHaveLength(2 * parts.length);
      for (let i = 0; i < parts.length; i++) {
        expect(tried[2 * i]).toBeCloseTo(parts[i].end - parts[i].start, 1);
        expect(tried[2 * i + 1]).toBeLessThan(tried[2 * i]);
        expect(tried[2 * i + 1]).toBeGreaterThan(5);
      }
      expect(cut.words).toHaveLength(2 * parts.length);
      for (let i = 1; i < cut.words.length; i++) expect(cut.words[i].start).toBeGreaterThan(cut.words[i - 1].start);
      expect(cut.words[cut.words.length - 1].start).toBeGreaterThan(parts[parts.length - 1].start);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start without its program or its model, saying what to do', () => {
    expect(
      () =>
        new WhisperCliEngine({
          binary: '/bin/sh',
          modelPath: '/nonexistent/ggml-base.en.bin',
          threads: 1,
          beamSize: 1,
          language: 'en',
          useGpu: false,
        }),
    ).toThrow(/npm run models -- install/);
    expect(
      () =>
        new WhisperCliEngine({
          binary: '/nonexistent/whisper-cli',
          modelPath: TEST_MODEL,
          threads: 1,
          beamSize: 1,
          language: 'en',
          useGpu: false,
        }),
    ).toThrow(/WHISPER_CLI/);
  });

  describe('with a real whisper.cpp program built from source (CPU)', () => {
    let binary: string;
    let scratch: string;
    beforeAll(async () => {
      binary =
        execFileSync('bash', [join(ROOT, 'tools/scripts/build-whisper-cli.sh')], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop() ?? '';
      scratch = await mkdtemp(join(tmpdir(), 'rehearse-cli-test-'));
    }, 300_000);
    afterAll(() => rm(scratch, { recursive: true, force: true }));

    it('is linked with OpenBLAS where the machine has it (ensure-system.sh installs it), its matrix products on one thread', () => {
      let openblas = true;
      try {
        execFileSync('pkg-config', ['--exists', 'openblas']);
      } catch {
        openblas = false;
      }
      const source = readFileSync(join(binary, '..', '.source'), 'utf8').trim();
      const libraries = execFileSync('ldd', [binary], { encoding: 'utf8' });
      if (openblas) {
        expect(source).toMatch(/\+openblas-1$/);
        expect(libraries).toMatch(/libopenblas/);
      } else {
        expect(source).not.toMatch(/openblas/);
        expect(libraries).not.toMatch(/libopenblas/);
      }
    });

    it('runs the model on real audio; the test model\u2019s empty output is "no speech detected", and no temporary file is left', async () => {
      const engine = new WhisperCliEngine({
        binary,
        modelPath: TEST_MODEL,
        // one thread: whisper.cpp's threads spin while they wait, costly beside the other test file
        threads: 1,
        beamSize: 1,
        language: 'en',
        useGpu: false,
      });
      // the engine makes its folder in os.tmpdir(), which follows TMPDIR: a folder of this test's
      // own, so another test file transcribing at the same time leaves nothing in it
      const tmp = await mkdtemp(join(scratch, 'tmp-'));
      const saved = process.env['TMPDIR'];
      process.env['TMPDIR'] = tmp;
      // 3 s of jfk keep the empty model's fallback decoding short
      const pcm = decodeAudio(readFileSync(JFK), 'jfk.wav').subarray(0, 3 * 16_000);
      let t: Awaited<ReturnType<WhisperCliEngine['transcribe']>>;
      let made: string[];
      try {
        t = await engine.transcribe(pcm);
        made = await readdir(tmp);
      } finally {
        if (saved === undefined) delete process.env['TMPDIR'];
        else process.env['TMPDIR'] = saved;
      }
      expect(t).toMatchObject({
        engine: 'whisper.cpp',
        model: 'for-tests-ggml-tiny.en.bin',
        language: 'en',
        text: '',
        words: [],
      });
      expect(t.audioSeconds).toBeCloseTo(3, 3);
      expect(noSpeechDetected(t)).toBe(true);
      expect(made).toEqual([]);
    }, 120_000);

    it('fails with whisper.cpp\u2019s own reason when the model file is not a model', async () => {
      const bad = join(scratch, 'ggml-broken.bin');
      await writeFile(bad, Buffer.from('this is not a ggml file'));
      const engine = new WhisperCliEngine({
        binary,
        modelPath: bad,
        threads: 1,
        beamSize: 1,
        language: 'en',
        useGpu: false,
      });
      await expect(engine.transcribe(decodeAudio(readFileSync(JFK), 'jfk.wav').subarray(0, 16_000))).rejects.toThrow(
        /^whisper\.cpp failed \(\d+\): .*(model|magic)/i,
      );
    }, 60_000);
  });
});
