/**
 * ASR benchmark: `npm run bench:asr [rounds]`. Side by side in one run, on the same machine and
 * the same audio:
 *   1. word error rate (scored by NIST sclite from Debian's sctk, and by this project's own
 *      aligner as a cross-check) and real-time factor per engine — PocketSphinx, Whisper tiny.en
 *      and Whisper base (multilingual) through whisper.cpp built from source with DTW word times —
 *      on a development set of real speech with reference transcripts: jfk.wav (../shared/asr) and
 *      the LibriVox and "cards" clips of Debian's pocketsphinx-testdata;
 *   2. the worker's whole pipeline (decrypt, ffmpeg, engine, index) against the engine
 *      alone on the same clips: the errors the pipeline adds (must be 0) and the time ratio;
 *   3. answers longer than Whisper's 30-second window (the development set's clips joined in
 *      shuffled orders): word error rate and whisper.cpp's CPU time as the worker decodes them (in
 *      parts cut at pauses), whole with the filler prompt, and whole without it.
 * `npm run bench:asr -- --long[=N] [--long-model=base]` runs part 3 alone (on N long answers, 4 by
 * default; tiny.en unless another model is named). `npm run bench:asr -- --builds [rounds]` compares
 * whisper.cpp's program linked with OpenBLAS (as tools/scripts/build-whisper-cli.sh builds it where
 * OpenBLAS is installed) with the same program built without it: CPU time and words, side by side. Needs what npm test sets up: PostgreSQL and
 * Redis (tools/scripts/ensure-system.sh), the models (npm run models -- install tiny.en|base
 * --from auto, into REHEARSE_WHISPER_MODELS_DIR or ~/.cache/rehearse/models) and whisper.cpp's
 * program (tools/scripts/build-whisper-cli.sh).
 * Not a test: nothing asserts on timings.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { wordErrors, normaliseWords, type SpeechEngine, type Transcript } from '@rehearse/server/speech';
import { benchEngines, whisperCliProgram } from './lib/engines';
import { withPipelineEnv } from './lib/pipeline-env';
import { appMediaPrograms } from '@rehearse/server/testing';
import { useMediaPrograms } from '@rehearse/server/media';
import { findFillers, tokenize } from '@rehearse/server/assessment';
import { DEFAULT_FILLERS } from '@rehearse/shared/contracts';

/**
 * Sentences with known fillers, spoken by espeak-ng: synthetic speech, not real disfluencies (no
 * honest source of recorded spontaneous speech with marked fillers is reachable here). The traps:
 * a backchannel ("mm-hmm") and "like" that compares are not fillers.
 */
const FILLER_SCRIPTS: { text: string; fillers: string[] }[] = [
  { text: 'So, um, I think that, uh, we should check your order first.', fillers: ['um', 'uh'] },
  { text: 'Well, you know, the parcel was, like, sent on Monday.', fillers: ['you know', 'like'] },
  { text: 'Hmm, let me see. Er, your refund is on its way.', fillers: ['hmm', 'er'] },
  { text: 'Mm-hmm, I see. It works like a mobile phone.', fillers: [] },
  { text: 'I understand how annoying this is, and I will fix it today.', fillers: [] },
  {
    text: 'Um, basically, the, uh, delivery was late, I mean, very late.',
    fillers: ['um', 'basically', 'uh', 'i mean'],
  },
];

/** FILLER_SCRIPTS spoken by espeak-ng into `dir`, with their sound. */
function spokenScripts(dir: string): ((typeof FILLER_SCRIPTS)[number] & { pcm: Float32Array })[] {
  return FILLER_SCRIPTS.map((f, i) => {
    const wav = join(dir, `fillers-${i}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, f.text]);
    return { ...f, pcm: pcmOf(wav) };
  });
}

/** The fillers the report finds in `words`, and how many of them are among `expected` (each counted once). */
function fillersHeard(words: Transcript['words'], expected: readonly string[]): { found: number; right: number } {
  const heard = findFillers(tokenize(words, 'en'), DEFAULT_FILLERS['en']).map((h) => h.filler);
  const want = [...expected];
  let right = 0;
  for (const h of heard) {
    const k = want.indexOf(h);
    if (k >= 0) {
      right++;
      want.splice(k, 1);
    }
  }
  return { found: heard.length, right };
}

const root = join(__dirname, '..', '..');
const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(root, '..', 'shared', 'asr');
const TESTDATA = '/usr/share/pocketsphinx/test/data';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const errors = (reference: string, hypothesis: string) => {
  const e = wordErrors(reference, hypothesis);
  return e.substitutions + e.deletions + e.insertions;
};

interface Clip {
  id: string;
  set: string;
  path: string;
  reference: string;
  seconds: number;
  pcm: Float32Array;
}

function pcmOf(path: string): Float32Array {
  const out = execFileSync(
    'ffmpeg',
    ['-nostdin', '-v', 'error', '-i', path, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-'],
    { maxBuffer: 1 << 30 },
  );
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4).slice();
}

/** The development set: every real recording here with a reference transcript. */
function devSet(): Clip[] {
  const clips: Omit<Clip, 'pcm' | 'seconds'>[] = [];
  const jfk = join(ASR, 'samples/jfk.wav');
  if (existsSync(jfk))
    clips.push({
      id: 'jfk-1',
      set: 'jfk (speech, 1961)',
      path: jfk,
      reference:
        'and so my fellow americans ask not what your country can do for you ask what you can do for your country',
    });
  // Sphinx's transcription files: "<s> words </s> (id)"
  const read = (dir: string, file: string, set: string, ext = '.wav') => {
    const f = join(TESTDATA, dir, file);
    if (!existsSync(f)) return;
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /^(?:<s>\s*)?(.*?)\s*(?:<\/s>)?\s*\(([^)]+)\)\s*$/.exec(line.trim());
      if (!m) continue;
      const path = join(TESTDATA, dir, `${m[2]}${ext}`);
      // sclite wants short utterance ids: the set and the clip's last part (0870, 001)
      if (existsSync(path))
        clips.push({ id: `${dir}-${m[2].split(/[-_.]/).pop()}`, set, path, reference: m[1].trim() });
    }
  };
  read('librivox', 'transcription', 'LibriVox (read speech)');
  read('cards', 'cards.transcription', 'cards (short commands)');
  if (!clips.length) throw new Error(`no development set: install pocketsphinx-testdata (apt) and keep ${ASR}`);
  return clips.map((c) => {
    const pcm = pcmOf(c.path);
    return { ...c, pcm, seconds: pcm.length / 16_000 };
  });
}

/** Debian's sctk keeps sclite out of the PATH. */
const SCLITE =
  process.env['SCLITE'] ?? (existsSync('/usr/lib/sctk/bin/sclite') ? '/usr/lib/sctk/bin/sclite' : 'sclite');

/** NIST sclite's word error rate over trn files; null when sclite is not installed. */
function sclite(dir: string, label: string, refs: Map<string, string>, hyps: Map<string, string>): number | null {
  try {
    execFileSync(SCLITE, ['-h'], { stdio: 'ignore' });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return null;
  }
  const trn = (m: Map<string, string>) =>
    [...m].map(([id, text]) => `${normaliseWords(text).join(' ')} (${id})`).join('\n') + '\n';
  const safe = label.replace(/[^a-z0-9]+/gi, '-');
  const ref = join(dir, `${safe}.ref.trn`);
  const hyp = join(dir, `${safe}.hyp.trn`);
  execFileSync('bash', ['-c', `cat > '${ref}'`], { input: trn(refs) });
  execFileSync('bash', ['-c', `cat > '${hyp}'`], { input: trn(hyps) });
  const out = execFileSync(SCLITE, ['-r', ref, 'trn', '-h', hyp, 'trn', '-i', 'spu_id', '-o', 'sum', 'stdout'], {
    encoding: 'utf8',
  });
  // | Sum/Avg|  N  Words | Corr  Sub  Del  Ins  Err  S.Err |
  const sum = out.split('\n').find((l) => /Sum\/Avg/.test(l));
  const cells = sum
    ?.split('|')
    .map((c) => c.trim())
    .filter(Boolean);
  const nums = cells?.[2]?.split(/\s+/).map(Number);
  return nums && nums.length >= 5 ? nums[4] / 100 : null;
}

export async function benchAsr(
  rounds = 1,
  longOnly?: number,
  longModel = 'tiny.en',
  buildsOnly = false,
  threads = 1,
): Promise<void> {
  Logger.overrideLogger(false);
  console.log(`ASR benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
  const clips = devSet();
  if (buildsOnly) return builds(clips, rounds, threads);
  if (longOnly) return longAnswers(clips, longOnly, longModel);
  const seconds = clips.reduce((n, c) => n + c.seconds, 0);
  const sets = [...new Set(clips.map((c) => c.set))];
  console.log(
    `development set: ${clips.length} clips, ${seconds.toFixed(1)} s, ${clips.reduce((n, c) => n + normaliseWords(c.reference).length, 0)} words (${sets.map((s) => `${s}: ${clips.filter((c) => c.set === s).length}`).join('; ')})\n`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-asr-'));
  const under = await benchEngines();
  const refs = new Map(clips.map((c) => [c.id, c.reference]));
  if (refs.size !== clips.length) throw new Error('two clips share an id');
  const results: { label: string; hyps: Map<string, string>; ms: number }[] = [];
  console.log(
    'engine                                        WER (sclite)  WER (own)  per set                                              RTF',
  );
  for (const { label, engine } of under) {
    await engine.transcribe(clips[0].pcm, { language: 'en' }); // warm-up
    const hyps = new Map<string, string>();
    let ms = 0;
    for (const c of clips) {
      const times: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const t0 = process.hrtime.bigint();
        hyps.set(c.id, (await engine.transcribe(c.pcm, { language: 'en' })).text);
        times.push(since(t0));
      }
      ms += median(times);
    }
    const own = wordErrors([...refs.values()].join(' '), clips.map((c) => hyps.get(c.id)).join(' '));
    const perSet = sets.map((s) => {
      const inSet = clips.filter((c) => c.set === s);
      const e = wordErrors(inSet.map((c) => c.reference).join(' '), inSet.map((c) => hyps.get(c.id)).join(' '));
      return `${s.split(' ')[0]} ${(e.wer * 100).toFixed(1)}%`;
    });
    const scored = sclite(dir, label, refs, hyps);
    results.push({ label, hyps, ms });
    console.log(
      `${label.padEnd(46)}${scored === null ? '   (no sclite)' : `${(scored * 100).toFixed(1).padStart(11)}%`}${`${(own.wer * 100).toFixed(1)}%`.padStart(11)}  ${perSet.join(', ').padEnd(52)} ${(ms / 1000 / seconds).toFixed(3)}`,
    );
  }
  // fillers: precision and recall against the scripts' known fillers, as the report counts them
  const scripts = spokenScripts(dir);
  console.log(
    `\nfillers on ${scripts.length} synthetic sentences (espeak-ng; ${scripts.reduce((n, f) => n + f.fillers.length, 0)} fillers, a backchannel and a comparing "like" as traps):`,
  );
  for (const { label, engine } of under) {
    let tp = 0;
    let found = 0;
    let expected = 0;
    for (const f of scripts) {
      const heard = fillersHeard((await engine.transcribe(f.pcm, { language: 'en' })).words, f.fillers);
      found += heard.found;
      expected += f.fillers.length;
      tp += heard.right;
    }
    console.log(
      `  ${label.padEnd(44)} recall ${((tp / expected) * 100).toFixed(0)}% (${tp}/${expected}) · precision ${found ? ((tp / found) * 100).toFixed(0) : '—'}% (${tp}/${found})`,
    );
  }
  await writeFile(
    join(dir, 'hypotheses.json'),
    JSON.stringify(
      results.map((r) => ({ label: r.label, hyps: Object.fromEntries(r.hyps) })),
      null,
      2,
    ),
  );

  console.log("\npipeline (decrypt, the app's ffmpeg, engine, PostgreSQL index) against the engine alone, same clips:");
  useMediaPrograms(appMediaPrograms());
  await withPipelineEnv(async (env) => {
    const stored = [];
    for (const c of clips) stored.push({ clip: c, id: await env.store(c.path, c.seconds) });
    for (const { label, engine } of under.filter((u) => !/base/.test(u.label))) {
      const pipeline = env.pipeline(engine);
      let added = 0;
      let alone = 0;
      let whole = 0;
      for (const { clip, id } of stored) {
        const a: number[] = [];
        const p: number[] = [];
        let engineText = '';
        for (let r = 0; r < Math.max(rounds, 3); r++) {
          for (const kind of r % 2 ? ['pipeline', 'engine'] : ['engine', 'pipeline']) {
            const t0 = process.hrtime.bigint();
            if (kind === 'engine') {
              engineText = (await engine.transcribe(clip.pcm, { language: 'en' })).text;
              a.push(since(t0));
            } else {
              await env.db.query(`UPDATE recordings SET status = 'queued' WHERE id = $1`, [id]);
              if ((await pipeline.run(id)) !== 'transcribed')
                throw new Error(`the pipeline did not transcribe ${clip.id}`);
              p.push(since(t0));
            }
          }
        }
        added += errors(clip.reference, await env.transcript(id)) - errors(clip.reference, engineText);
        alone += median(a);
        whole += median(p);
      }
      console.log(
        `  ${label.padEnd(44)} errors added by the pipeline: ${added} · engine alone ${(alone / 1000).toFixed(2)} s · pipeline ${(whole / 1000).toFixed(2)} s · ratio ${(whole / alone).toFixed(3)}x`,
      );
    }
  });
  for (const { engine } of under) await engine.close();
  await longAnswers(clips, 4, longModel);
  await rm(dir, { recursive: true, force: true });
}

/** Clock ticks per second of /proc's CPU times. */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds (user + system) of this process's finished children: whisper.cpp's program runs as one. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // the fields after the command's name start at field 3 (state); cutime and cstime are 16 and 17
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** A reproducible shuffle (mulberry32): the same long answers in every run. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The silence between clips joined into one answer. */
const GAP = new Float32Array(Math.round(0.6 * 16_000));

/** Sounds one after another, GAP between each two. */
function joined(pieces: Float32Array[]): Float32Array {
  const parts = pieces.flatMap((p, i) => (i ? [GAP, p] : [p]));
  const pcm = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    pcm.set(p, at);
    at += p.length;
  }
  return pcm;
}

/** A long answer of real speech: `clips` in this order, with their joined reference. */
function longAnswer(order: Clip[]): { pcm: Float32Array; reference: string } {
  return { pcm: joined(order.map((c) => c.pcm)), reference: order.map((c) => c.reference).join(' ') };
}

/**
 * Answers longer than one 30-second window, from real speech with known words: every clip of the
 * development set, in `count` shuffled orders, 0.6 s of silence between clips (about 51 s each).
 * Whisper `model` (tiny.en unless --long-model=<name>) through whisper.cpp's program, one thread
 * (CPU time is what a worker pays): as the worker runs it (parts of at most 29 s cut at pauses,
 * each decoded on its own with the filler prompt, a part that stopped short decoded again from
 * where it stopped), the whole answer in one decoding with the prompt (whisper.cpp's windows
 * carrying text into the next), and without it.
 * Then the fillers each writes down after the first window: the jfk clip three times, then the
 * espeak-ng filler sentences of part 1 (synthetic speech).
 */
async function longAnswers(clips: Clip[], count = 4, model = 'tiny.en'): Promise<void> {
  const one = async (label: string, options: { promptFillers?: boolean; partSeconds?: number }) => {
    const [e] = await benchEngines([model], { pocketSphinx: false, threads: 1, ...options });
    return e && { label, engine: e.engine };
  };
  const variants = [
    await one('in parts cut at pauses, with the prompt (the worker)', {}),
    await one('whole, with the prompt (until 2026-12-02)', { partSeconds: Infinity }),
    await one('whole, without the prompt', { partSeconds: Infinity, promptFillers: false }),
  ].filter((v): v is { label: string; engine: SpeechEngine } => !!v);
  if (variants.length < 3) return;
  const answers = Array.from({ length: count }, (_, k) => longAnswer(shuffled(clips, k + 1)));
  // fillers after the first window: the jfk clip three times (33 s), then the filler sentences
  const jfk = clips.find((c) => c.id === 'jfk-1');
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-long-'));
  const scripts = spokenScripts(dir);
  await rm(dir, { recursive: true, force: true });
  const late = jfk && {
    pcm: joined([jfk.pcm, jfk.pcm, jfk.pcm, ...scripts.map((f) => f.pcm)]),
    after: (3 * jfk.pcm.length + 2 * GAP.length) / 16_000,
    fillers: scripts.flatMap((f) => f.fillers),
  };
  const seconds = answers.reduce((n, a) => n + a.pcm.length / 16_000, 0);
  console.log(
    `\nlong answers: the ${clips.length} clips joined in ${count} shuffled orders (${(seconds / count).toFixed(1)} s each, ${normaliseWords(answers[0].reference).length} words); Whisper ${model}, 1 thread:`,
  );
  let baseline = 0;
  for (const v of variants) {
    let wrong = 0;
    let words = 0;
    const perAnswer: number[] = [];
    const cpu0 = childCpuSeconds();
    for (const a of answers) {
      const e = errors(a.reference, (await v.engine.transcribe(a.pcm, { language: 'en' })).text);
      perAnswer.push(e);
      wrong += e;
      words += normaliseWords(a.reference).length;
    }
    const cpu = childCpuSeconds() - cpu0;
    baseline ||= cpu;
    let fillers = '';
    if (late) {
      const t = await v.engine.transcribe(late.pcm, { language: 'en' });
      const { right } = fillersHeard(
        t.words.filter((w) => w.start >= late.after),
        late.fillers,
      );
      fillers = ` · fillers after 33 s: ${right}/${late.fillers.length}`;
    }
    console.log(
      `  ${v.label.padEnd(52)} WER ${((wrong / words) * 100).toFixed(1).padStart(5)}% (errors per answer ${perAnswer.join(', ')}) · whisper.cpp CPU ${cpu.toFixed(1)} s (${(cpu / baseline).toFixed(2)}x)${fillers}`,
    );
    await v.engine.close();
  }
}

/**
 * whisper.cpp's program with OpenBLAS against the same source built without it
 * (WHISPER_CLI_BLAS=0, kept in ~/.cache/rehearse/whisper-cli-noblas): tiny.en and base, one thread
 * unless --threads=N (what a worker pays per answer), on every clip of the development set and on two long answers
 * (the clips joined: parts, as the worker decodes them), the two programs taking turns `rounds`
 * times. Prints each program's CPU time, their ratio, the wall time, the word error rates and how many
 * transcriptions came out word for word the same.
 */
async function builds(clips: Clip[], rounds: number, threads = 1): Promise<void> {
  const withBlas = whisperCliProgram();
  const source = readFileSync(join(withBlas, '..', '.source'), 'utf8').trim();
  if (!source.includes('+openblas')) {
    console.log(
      `whisper.cpp's program here is built without OpenBLAS (${source}): install libopenblas-pthread-dev and pkgconf`,
    );
    return;
  }
  const plain = whisperCliProgram({
    WHISPER_CLI_BLAS: '0',
    WHISPER_CLI_DIR: join(process.env['HOME'] ?? tmpdir(), '.cache', 'rehearse', 'whisper-cli-noblas'),
  });
  const sets = [
    { name: `${clips.length} clips`, items: clips.map((c) => ({ pcm: c.pcm, reference: c.reference })) },
    { name: '2 long answers', items: [longAnswer(shuffled(clips, 1)), longAnswer(shuffled(clips, 2))] },
  ];
  console.log(
    `\nwhisper.cpp with OpenBLAS (${withBlas}) against without (${plain}), ${threads} thread(s), ${rounds} rounds:`,
  );
  for (const model of ['tiny.en', 'base']) {
    const [a] = await benchEngines([model], { pocketSphinx: false, threads, binary: plain });
    const [b] = await benchEngines([model], { pocketSphinx: false, threads, binary: withBlas });
    if (!a || !b) continue;
    for (const set of sets) {
      const cpu = { plain: 0, blas: 0 };
      const wall = { plain: 0, blas: 0 };
      const text = { plain: [] as string[], blas: [] as string[] };
      for (let r = 0; r < rounds; r++) {
        for (const kind of r % 2 ? (['blas', 'plain'] as const) : (['plain', 'blas'] as const)) {
          const engine = kind === 'plain' ? a.engine : b.engine;
          const t = childCpuSeconds();
          const t0 = process.hrtime.bigint();
          const heard = [];
          for (const item of set.items) heard.push((await engine.transcribe(item.pcm, { language: 'en' })).text);
          cpu[kind] += childCpuSeconds() - t;
          wall[kind] += since(t0) / 1000;
          text[kind] = heard;
        }
      }
      const wer = (hyps: string[]) =>
        (wordErrors(set.items.map((i) => i.reference).join(' '), hyps.join(' ')).wer * 100).toFixed(1);
      const same = text.plain.filter((t, i) => normaliseWords(t).join(' ') === normaliseWords(text.blas[i]).join(' '));
      console.log(
        `  ${model.padEnd(8)} ${set.name.padEnd(15)} CPU without ${(cpu.plain / rounds).toFixed(2).padStart(6)} s · with ${(cpu.blas / rounds).toFixed(2).padStart(6)} s · ${(cpu.blas / cpu.plain).toFixed(2)}x · wall ${(wall.plain / rounds).toFixed(2)} / ${(wall.blas / rounds).toFixed(2)} s · WER ${wer(text.plain)}% / ${wer(text.blas)}% · the same words ${same.length}/${set.items.length}`,
      );
    }
    await a.engine.close();
    await b.engine.close();
  }
}

if (process.argv[1] === __filename) {
  // npm run bench:asr -- [rounds] [--long[=answers]] [--long-model=base] [--builds [--threads=N]]: --long measures
  // only the long answers (part 3), with tiny.en unless --long-model names another installed model;
  // --builds only whisper.cpp with OpenBLAS against without (3 rounds unless a number is given)
  const args = process.argv.slice(2);
  const long = args.find((a) => /^--long(=\d+)?$/.test(a));
  const model = args.find((a) => a.startsWith('--long-model='))?.split('=')[1];
  const onlyBuilds = args.includes('--builds');
  const threads = Number(args.find((a) => a.startsWith('--threads='))?.split('=')[1] ?? 1);
  benchAsr(
    Number(args.find((a) => /^\d+$/.test(a)) ?? (onlyBuilds ? 3 : 1)),
    long ? Number(long.split('=')[1] ?? 4) : undefined,
    model,
    onlyBuilds,
    threads,
  )
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
