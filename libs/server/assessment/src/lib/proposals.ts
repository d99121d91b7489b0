import type { AiCriterionLink, AiMarker, AiProposedScore, AiReport, RubricCriterion } from '@rehearse/shared/contracts';
import { clock, coachText } from './assess';
import { round } from './numbers';

/**
 * The AI's score for each rubric criterion a content developer linked to metrics. Of the linked
 * metrics that have a verdict (pass or attention; "info" has no threshold and does not count),
 * the share that passed places the score between the criterion's lowest and highest level; the
 * nearest level is proposed, the lower one on a tie (the coach can always raise it). A criterion
 * whose linked metrics all lack a verdict gets no proposal.
 */
export function proposeScores(
  report: AiReport,
  links: readonly AiCriterionLink[],
  criteria: readonly Pick<RubricCriterion, 'id' | 'levels'>[],
): AiProposedScore[] {
  const out: AiProposedScore[] = [];
  for (const link of links) {
    const criterion = criteria.find((c) => c.id === link.criterionId);
    if (!criterion || !criterion.levels.length) continue;
    const judged = report.metrics.filter((m) => link.metrics.includes(m.id) && m.verdict !== 'info');
    if (!judged.length) continue;
    const passed = judged.filter((m) => m.verdict === 'pass').length;
    const scores = criterion.levels.map((l) => l.score).sort((a, b) => a - b);
    const target = scores[0] + (passed / judged.length) * (scores[scores.length - 1] - scores[0]);
    let best = scores[0];
    for (const s of scores) if (Math.abs(s - target) < Math.abs(best - target)) best = s;
    out.push({ criterionId: criterion.id, score: best, basis: judged.map((m) => m.id), passed });
  }
  return out;
}

export interface ScorePair {
  ai: number;
  coach: number;
  /** the criterion's level scores */
  levels: readonly number[];
  /** how many times this pair occurred (1 unless aggregated) */
  weight?: number;
}

/**
 * How often the AI's proposals and the coaches' scores agree: exactly, within one level (by the
 * levels' order, not their numbers) and the mean absolute difference in score points.
 */
export function agreement(pairs: readonly ScorePair[]): {
  pairs: number;
  exact: number | null;
  adjacent: number | null;
  meanAbsoluteDifference: number | null;
} {
  if (!pairs.length) return { pairs: 0, exact: null, adjacent: null, meanAbsoluteDifference: null };
  let exact = 0;
  let adjacent = 0;
  let diff = 0;
  let n = 0;
  for (const p of pairs) {
    const w = p.weight ?? 1;
    const order = [...p.levels].sort((a, b) => a - b);
    const rank = (s: number) => {
      // a score between levels (a rubric edited since) ranks with its nearest level
      let best = 0;
      order.forEach((l, i) => {
        if (Math.abs(l - s) < Math.abs(order[best] - s)) best = i;
      });
      return best;
    };
    if (p.ai === p.coach) exact += w;
    if (Math.abs(rank(p.ai) - rank(p.coach)) <= 1) adjacent += w;
    diff += Math.abs(p.ai - p.coach) * w;
    n += w;
  }
  return {
    pairs: n,
    exact: round(exact / n, 4),
    adjacent: round(adjacent / n, 4),
    meanAbsoluteDifference: round(diff / n, 2),
  };
}

/**
 * The report's findings as draft markers for the coach's timeline, keyed stably within the report,
 * labelled in the coach's language (an accepted marker becomes a comment in those words).
 */
export function aiMarkers(report: AiReport, locale?: string | null): Omit<AiMarker, 'decision'>[] {
  const t = coachText(locale);
  const markers: Omit<AiMarker, 'decision'>[] = [];
  const check = (low: boolean | undefined) => (low ? { lowConfidence: true } : {});
  report.fillers.forEach((f, i) =>
    markers.push({
      key: `filler:${i}`,
      kind: 'filler',
      at: f.start,
      end: f.end,
      label: t(f.lowConfidence ? 'marker.possibleFiller' : 'marker.filler', { filler: f.filler }),
      ...check(f.lowConfidence),
    }),
  );
  report.pauses.forEach((p, i) =>
    markers.push({
      key: `pause:${i}`,
      kind: 'pause',
      at: p.start,
      end: p.end,
      label: t('marker.pause', { seconds: round(p.seconds, 1) }),
    }),
  );
  report.avoidPhrases.forEach((h, i) => {
    if (h.found && h.at !== null)
      markers.push({
        key: `avoid:${i}`,
        kind: 'avoid_phrase',
        at: h.at,
        end: h.at,
        label: t(h.lowConfidence ? 'marker.possibleAvoid' : 'marker.avoid', { phrase: h.phrase, at: clock(h.at) }),
        ...check(h.lowConfidence),
      });
  });
  report.keyPhrases.forEach((h, i) => {
    if (h.found && h.at !== null)
      markers.push({
        key: `key:${i}`,
        kind: 'key_phrase',
        at: h.at,
        end: h.at,
        label: t(h.lowConfidence ? 'marker.possibleKey' : 'marker.key', { phrase: h.phrase }),
        ...check(h.lowConfidence),
      });
  });
  return markers.sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
}
