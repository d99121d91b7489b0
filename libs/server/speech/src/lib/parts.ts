/**
 * Answers longer than Whisper's 30-second window, decoded part by part. Decoding a whole long
 * answer in one run carries each window's text into the next window instead of the filler prompt:
 * whisper.cpp's greedy decoding of the later windows then fails its log-probability check and is
 * done again at higher temperatures (about twice the CPU), and the fillers after the first window
 * go unwritten. Parts cut at pauses, each decoded on its own with the prompt, cost one window each
 * and keep the fillers (measured: `npm run bench:asr -- --long`, README; tests in
 * whisper-cli.spec.ts and whisper-real.spec.ts).
 */

/** Whisper's window: audio up to this long is decoded in one piece. */
export const WINDOW_SECONDS = 30;
/** The longest part cut from a longer answer (a second of margin in the window). */
export const PART_SECONDS = 29;

type Span = { start: number; end: number };

/**
 * Where to cut an answer longer than one window (exported for tests): parts of at most `most`
 * seconds (the last one up to the window's 30), as few as the length allows (each part costs a
 * window), each ending in a pause between voiced runs: the latest pause of at least `pause`
 * seconds more than `least` seconds into the part, else the widest pause there, else (speech
 * without a break) at `most` seconds. A pause that would leave too much for the remaining parts
 * is taken only when no later pause exists (one part more rather than a word cut in two).
 */
export function planParts(
  runs: readonly Span[],
  duration: number,
  most = PART_SECONDS,
  least = 10,
  pause = 0.3,
): Span[] {
  if (duration <= WINDOW_SECONDS) return [{ start: 0, end: duration }];
  const parts: Span[] = [];
  let start = 0;
  while (duration - start > WINDOW_SECONDS) {
    // the fewest parts from here (each at most `most` seconds but the last, which may fill the
    // window), and so the soonest cut that leaves the rest to the others
    const fewest = Math.ceil((duration - start - WINDOW_SECONDS) / most) + 1;
    const soonest = duration - ((fewest - 2) * most + WINDOW_SECONDS);
    const pausesAfter = (from: number) => {
      const gaps: { at: number; width: number }[] = [];
      for (let i = 0; i + 1 < runs.length; i++) {
        const at = (runs[i].end + runs[i + 1].start) / 2;
        if (at > from && at <= start + most) gaps.push({ at, width: runs[i + 1].start - runs[i].end });
      }
      return gaps;
    };
    const fitting = pausesAfter(Math.max(start + least, soonest));
    const gaps = fitting.length ? fitting : pausesAfter(start + least);
    const wide = gaps.filter((g) => g.width >= pause);
    const cut = wide.length
      ? wide[wide.length - 1].at
      : gaps.length
        ? gaps.reduce((a, b) => (b.width > a.width ? b : a)).at
        : start + most;
    parts.push({ start, end: cut });
    start = cut;
  }
  parts.push({ start, end: duration });
  return parts;
}

/**
 * Where a part's decoding stopped short (exported for tests): whisper.cpp sometimes ends a window
 * after a sentence and leaves the rest unheard. When more than `missed` seconds of voice follow
 * the end of the voiced run the last word began in (at least `grace` seconds after that word's
 * onset), the rest of the part is decoded again from there (from the onset when it lies in a
 * pause); otherwise undefined. A part in which
 * nothing was heard is not decoded again (the same sound gives the same result).
 */
export function unheardFrom(
  runs: readonly Span[],
  part: Span,
  lastOnset: number | undefined,
  grace = 2,
  missed = 1,
): number | undefined {
  if (lastOnset === undefined) return undefined;
  // the voiced run the last word began in (an onset a little before its run counts as in it);
  // an onset in a longer pause: from the onset, so that the run after the pause is heard again
  const own = runs.find((r) => r.end > lastOnset && r.start <= lastOnset + 0.5);
  const from = own ? own.end : lastOnset;
  if (from >= part.end - missed) return undefined;
  const voiced = runs
    .map((r) => Math.max(0, Math.min(r.end, part.end) - Math.max(r.start, from, lastOnset + grace)))
    .reduce((a, b) => a + b, 0);
  return voiced > missed ? from : undefined;
}

/** Whether any voice sounds between `start` and `end` (a part of silence alone is not decoded: Whisper invents words there). */
const voicedIn = (runs: readonly Span[], start: number, end: number) =>
  runs.some((r) => Math.min(r.end, end) - Math.max(r.start, start) >= 0.1);

/**
 * Decodes `pcm` (16 kHz) part by part with `decode`, which hears one part (one window at most) and
 * returns its words timed from the part's start; `onset` reads a word's start and `shift` moves it
 * into the whole answer's time. Parts without voice are not decoded; a part whose decoding stopped
 * short has its rest decoded once more (unheardFrom). `most` = Infinity decodes the whole answer
 * in one call.
 */
export async function decodeInParts<W>(
  pcm: Float32Array,
  runs: readonly Span[],
  most: number,
  decode: (samples: Float32Array) => Promise<W[]>,
  onset: (w: W) => number,
  shift: (w: W, seconds: number) => W,
): Promise<W[]> {
  const seconds = pcm.length / 16_000;
  const whole = !Number.isFinite(most);
  const queue = (whole ? [{ start: 0, end: seconds }] : planParts(runs, seconds, most)).map((part) => ({
    ...part,
    retry: !whole,
  }));
  const words: W[] = [];
  for (let part = queue.shift(); part; part = queue.shift()) {
    if (!voicedIn(runs, part.start, part.end)) continue;
    const samples = pcm.subarray(Math.round(part.start * 16_000), Math.round(part.end * 16_000));
    const heard = (await decode(samples)).map((w) => shift(w, part.start));
    words.push(...heard);
    const last = heard[heard.length - 1];
    const from = part.retry ? unheardFrom(runs, part, last === undefined ? undefined : onset(last)) : undefined;
    if (from !== undefined) queue.unshift({ start: from, end: part.end, retry: false });
  }
  return words;
}
