/** Words as scored: lower case, punctuation gone, numbers and hyphenated words split like sclite's input. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export interface WordErrors {
  reference: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** (S + D + I) / N */
  wer: number;
}

/** Word error rate by minimum edit distance (the alignment NIST sclite scores). */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const r = normaliseWords(reference);
  const h = normaliseWords(hypothesis);
  // dp[i][j]: [cost, S, D, I] aligning r[0..i) with h[0..j)
  type Cell = [number, number, number, number];
  let prev: Cell[] = Array.from({ length: h.length + 1 }, (_, j) => [j, 0, 0, j] as Cell);
  for (let i = 1; i <= r.length; i++) {
    const row: Cell[] = [[i, 0, i, 0]];
    for (let j = 1; j <= h.length; j++) {
      const same = r[i - 1] === h[j - 1];
      const sub = prev[j - 1];
      const del = prev[j];
      const ins = row[j - 1];
      const options: Cell[] = [
        [sub[0] + (same ? 0 : 1), sub[1] + (same ? 0 : 1), sub[2], sub[3]],
        [del[0] + 1, del[1], del[2] + 1, del[3]],
        [ins[0] + 1, ins[1], ins[2], ins[3] + 1],
      ];
      row.push(options.reduce((a, b) => (b[0] < a[0] ? b : a)));
    }
    prev = row;
  }
  const [cost, s, d, ins] = prev[h.length];
  return {
    reference: r.length,
    substitutions: s,
    deletions: d,
    insertions: ins,
    wer: r.length ? cost / r.length : h.length ? 1 : 0,
  };
}
