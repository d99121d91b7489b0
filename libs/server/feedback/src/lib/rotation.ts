export interface RotationInput {
  /** the trainee whose answer needs reviews */
  owner: string;
  /** the group's participants in rotation order (stable: by when they joined, then id) */
  members: readonly string[];
  /** open peer reviews each member has now */
  load: ReadonlyMap<string, number>;
  /** who must not get it: current and earlier reviewers of this answer (a lapsed reviewer is not asked again) */
  exclude: ReadonlySet<string>;
  /** how many reviewers to add */
  count: number;
}

/**
 * Picks peer reviewers by rotation: never the owner or anyone excluded; the least loaded first,
 * and among equals the next members after the owner in rotation order, so that with everyone
 * sharing, member i is reviewed by i+1 … i+N and everyone reviews N answers.
 */
export function pickReviewers(input: RotationInput): string[] {
  const { owner, members, load, exclude, count } = input;
  const ownerAt = members.indexOf(owner);
  const distance = (i: number) => (ownerAt < 0 ? i : (i - ownerAt + members.length) % members.length);
  return members
    .map((id, i) => ({ id, d: distance(i), load: load.get(id) ?? 0 }))
    .filter((c) => c.id !== owner && !exclude.has(c.id))
    .sort((a, b) => a.load - b.load || a.d - b.d)
    .slice(0, Math.max(0, count))
    .map((c) => c.id);
}
