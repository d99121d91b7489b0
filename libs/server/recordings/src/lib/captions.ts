import type { TranscriptSegmentView, TranscriptWordView } from '@rehearse/shared/contracts';

/** Where a caption cue ends: a pause, a sentence end, or a cue grown too long to read. */
const PAUSE_SECONDS = 0.7;
const MAX_WORDS = 14;
const MAX_SECONDS = 6;

/**
 * Groups word timings into passages: the unit of captions and of search hits (a hit links to the
 * start of its passage). Engines give words; grouping the same way for every engine keeps
 * captions and search alike whichever engine produced the transcript.
 */
export function segmentsFromWords(words: readonly TranscriptWordView[]): TranscriptSegmentView[] {
  const segments: TranscriptSegmentView[] = [];
  let current: TranscriptWordView[] = [];
  const flush = () => {
    if (!current.length) return;
    segments.push({
      start: current[0].start,
      end: current[current.length - 1].end,
      text: current.map((w) => w.text).join(' '),
    });
    current = [];
  };
  for (const w of words) {
    const text = w.text.trim();
    if (!text) continue;
    const prev = current[current.length - 1];
    if (
      prev &&
      (w.start - prev.end > PAUSE_SECONDS ||
        current.length >= MAX_WORDS ||
        w.end - current[0].start > MAX_SECONDS ||
        /[.!?]$/.test(prev.text))
    )
      flush();
    current.push({ ...w, text });
  }
  flush();
  return segments;
}

function vttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Cue text may not contain "-->" or a blank line; "<" and "&" would be read as markup. */
function cueText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
}

/** WebVTT captions for the player's <track>. */
export function toWebVtt(segments: readonly TranscriptSegmentView[]): string {
  const cues = segments.map(
    (s, i) => `${i + 1}\n${vttTime(s.start)} --> ${vttTime(Math.max(s.end, s.start + 0.2))}\n${cueText(s.text)}\n`,
  );
  return `WEBVTT\n\n${cues.join('\n')}`;
}
