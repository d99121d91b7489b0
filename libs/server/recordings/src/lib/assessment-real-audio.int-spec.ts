/**
 * The AI metrics on real audio: speech from espeak-ng at two rates, with silences of known length
 * inserted at known places, decoded by ffmpeg and transcribed by a real engine (PocketSphinx),
 * then measured and assessed as the worker does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assess, measureAudio, PAUSE_THRESHOLD_SECONDS, words as plainWords } from '@rehearse/server/assessment';
import { extractPcm } from '@rehearse/server/media';
import { PocketSphinxEngine, wavFromPcm } from '@rehearse/server/speech';

const SCRIPT = [
  { rate: 130, text: 'Thank you for calling customer service. I understand that your order is late.' },
  { rate: 200, text: 'I am sorry about the delay. Let me check your order right now.' },
  { rate: 130, text: 'Your parcel will arrive tomorrow morning. Is there anything else I can do for you today?' },
];
const INSERTED = [1.5, 2.5]; // seconds of silence after the first and the second part

describe('AI assessment on real speech with inserted pauses', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-assess-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds every inserted pause, measures the duration, and computes the rate from the transcript', async () => {
    // each part spoken by espeak-ng, its leading and trailing silence trimmed, decoded to 16 kHz
    const parts: Float32Array[] = [];
    for (const [i, s] of SCRIPT.entries()) {
      const raw = join(dir, `part${i}.wav`);
      const trimmed = join(dir, `part${i}-trimmed.wav`);
      execFileSync('espeak-ng', ['-v', 'en-us', '-s', String(s.rate), '-w', raw, s.text]);
      const trim = 'silenceremove=start_periods=1:start_threshold=-50dB';
      execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', raw, '-af', `${trim},areverse,${trim},areverse`, '-ar', '16000', '-ac', '1', trimmed]);
      parts.push(await extractPcm(trimmed));
    }
    const pieces: Float32Array[] = [parts[0], new Float32Array(INSERTED[0] * 16_000), parts[1], new Float32Array(INSERTED[1] * 16_000), parts[2]];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    const joined = new Float32Array(total);
    let at = 0;
    for (const p of pieces) {
      joined.set(p, at);
      at += p.length;
    }
    const expectedPauses = [parts[0].length / 16_000, (parts[0].length + INSERTED[0] * 16_000 + parts[1].length) / 16_000];
    const expectedDuration = total / 16_000;

    // through a file and ffmpeg again, as an upload would go
    const answer = join(dir, 'answer.wav');
    await writeFile(answer, wavFromPcm(joined));
    const pcm = await extractPcm(answer);
    const engine = new PocketSphinxEngine();
    const transcript = await engine.transcribe(pcm, { language: 'en' });
    await engine.close();
    const audio = measureAudio(pcm);
    const report = assess({
      words: transcript.words,
      durationSeconds: audio.durationSeconds,
      language: 'en',
      settings: { keyPhrases: ['check your order'], avoidPhrases: [], wpmMin: 120, wpmMax: 170, maxFillersPerMinute: 4, targetDurationSeconds: 20 },
      audio,
    });

    // every inserted pause is found, starting within 0.3 s of where it was inserted
    for (const [k, start] of expectedPauses.entries()) {
      const found = report.pauses.find((p) => Math.abs(p.start - start) <= 0.3);
      expect(found).toBeDefined();
      expect(found!.seconds).toBeGreaterThanOrEqual(INSERTED[k] - 0.3);
    }
    // the sound has no other silence of a second or more
    expect(audio.silences.filter((s) => s.end - s.start >= PAUSE_THRESHOLD_SECONDS)).toHaveLength(2);
    // the duration is right within 0.2 s
    expect(Math.abs(report.durationSeconds - expectedDuration)).toBeLessThanOrEqual(0.2);
    // the rate is the transcript's word count over its speaking time
    const rate = report.metrics.find((m) => m.id === 'speaking_rate')!;
    expect(report.wordCount).toBe(transcript.words.length);
    expect(report.speakingSeconds).toBeGreaterThan(0);
    expect(rate.value).toBeCloseTo((report.wordCount * 60) / report.speakingSeconds, 1);

    // the engine's own word-count error against the script belongs to the engine, not the metric
    const scripted = SCRIPT.reduce((n, s) => n + plainWords(s.text).length, 0);
    console.log(`PocketSphinx heard ${transcript.words.length} words of ${scripted} scripted (word-count error ${(((transcript.words.length - scripted) / scripted) * 100).toFixed(1)} %); rate ${rate.value} wpm over ${report.speakingSeconds} s of speaking; pauses ${JSON.stringify(report.pauses)}`);
  }, 120_000);
});
