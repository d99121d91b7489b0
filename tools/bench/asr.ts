/**
 * ASR benchmark: `npm run bench:asr [rounds]`. Side by side in one run, on the same machine and
 * the same audio:
 *   1. word error rate (scored by NIST sclite from Debian's sctk, and by this project's own
 *      aligner as a cross-check) and real-time factor per engine — PocketSphinx, Whisper tiny.en
 *      and Whisper base (multilingual) through whisper.cpp built from source with DTW word times —
 *      on a development set of real speech with reference transcripts: jfk.wav (../shared/asr) and
 *      the LibriVox and "cards" clips of Debian's pocketsphinx-testdata;
 *   2. the worker's whole pipeline (decrypt, probe, ffmpeg, engine, index) against the engine
 *      alone on the same clips: the errors the pipeline adds (must be 0) and the time ratio.
 * Needs what npm test sets up: PostgreSQL and Redis (tools/scripts/ensure-system.sh), the models
 * (npm run models -- install tiny.en|base --from auto, into REHEARSE_WHISPER_MODELS_DIR or
 * ~/.cache/rehearse/models) and whisper.cpp's program (tools/scripts/build-whisper-cli.sh).
 * Not a test: nothing asserts on timings.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { wordErrors, normaliseWords } from '@rehearse/server/speech';
import { benchEngines } from './lib/engines';
import { withPipelineEnv } from './lib/pipeline-env';
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

export async function benchAsr(rounds = 1): Promise<void> {
  Logger.overrideLogger(false);
  console.log(`ASR benchmark on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`);
  const clips = devSet();
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
  const scripts = FILLER_SCRIPTS.map((f, i) => {
    const wav = join(dir, `fillers-${i}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, f.text]);
    return { ...f, pcm: pcmOf(wav) };
  });
  console.log(
    `\nfillers on ${scripts.length} synthetic sentences (espeak-ng; ${scripts.reduce((n, f) => n + f.fillers.length, 0)} fillers, a backchannel and a comparing "like" as traps):`,
  );
  for (const { label, engine } of under) {
    let tp = 0;
    let found = 0;
    let expected = 0;
    for (const f of scripts) {
      const heard = findFillers(
        tokenize((await engine.transcribe(f.pcm, { language: 'en' })).words, 'en'),
        DEFAULT_FILLERS['en'],
      ).map((h) => h.filler);
      const want = [...f.fillers];
      found += heard.length;
      expected += want.length;
      for (const h of heard) {
        const k = want.indexOf(h);
        if (k >= 0) {
          tp++;
          want.splice(k, 1);
        }
      }
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

  console.log('\npipeline (decrypt, probe, ffmpeg, engine, PostgreSQL index) against the engine alone, same clips:');
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
  await rm(dir, { recursive: true, force: true });
}

if (process.argv[1] === __filename) {
  benchAsr(Number(process.argv[2] ?? 1))
    .then(() => process.exit(0))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
