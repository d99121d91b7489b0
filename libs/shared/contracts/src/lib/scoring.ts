import type { RubricCriterion } from './courses';

/**
 * The score of an answer on a rubric: the weighted mean of the criterion scores,
 * sum(weight × score) / sum(weight), rounded to two decimals. Null until every criterion is scored.
 */
export function weightedScore(
  criteria: Pick<RubricCriterion, 'id' | 'weight'>[],
  scores: Record<string, number>,
): number | null {
  let total = 0;
  let weights = 0;
  for (const c of criteria) {
    const s = scores[c.id];
    if (s === undefined) return null;
    total += c.weight * s;
    weights += c.weight;
  }
  return weights ? Math.round((total / weights) * 100) / 100 : null;
}
