import { pickReviewers } from './rotation';

describe('peer review rotation', () => {
  const members = ['ann', 'bob', 'cy', 'dee', 'eve'];

  it('with 5 trainees sharing and N=2, gives every answer 2 reviewers, nobody themselves, everyone 2 reviews', () => {
    const load = new Map<string, number>();
    const assigned = new Map<string, string[]>();
    for (const owner of members) {
      const picked = pickReviewers({ owner, members, load, exclude: new Set(), count: 2 });
      assigned.set(owner, picked);
      for (const p of picked) load.set(p, (load.get(p) ?? 0) + 1);
    }
    expect(Object.fromEntries(assigned)).toEqual({
      ann: ['bob', 'cy'],
      bob: ['dee', 'eve'],
      cy: ['ann', 'dee'],
      dee: ['eve', 'ann'],
      eve: ['bob', 'cy'],
    });
    for (const [owner, picked] of assigned) {
      expect(picked).toHaveLength(2);
      expect(new Set(picked).size).toBe(2);
      expect(picked).not.toContain(owner);
    }
    expect(members.map((m) => load.get(m))).toEqual([2, 2, 2, 2, 2]);
  });

  it('in whatever order the 5 share, every answer gets 2 peers and no load is more than 2 above another', () => {
    const orders = (rest: string[]): string[][] =>
      rest.length <= 1 ? [rest] : rest.flatMap((x, i) => orders(rest.filter((_, j) => j !== i)).map((o) => [x, ...o]));
    const spreads = new Set<number>();
    for (const order of orders(members)) {
      const load = new Map<string, number>();
      for (const owner of order) {
        const picked = pickReviewers({ owner, members, load, exclude: new Set(), count: 2 });
        expect(new Set(picked).size).toBe(2);
        expect(picked).not.toContain(owner);
        for (const p of picked) load.set(p, (load.get(p) ?? 0) + 1);
      }
      const loads = members.map((m) => load.get(m) ?? 0);
      expect(loads.reduce((a, b) => a + b, 0)).toBe(10);
      expect(Math.min(...loads)).toBeGreaterThanOrEqual(1);
      spreads.add(Math.max(...loads) - Math.min(...loads));
    }
    // shares that arrive out of rotation order can leave the loads uneven (a greedy pick, never a re-deal)
    expect([...spreads].sort()).toEqual([0, 2]);
  });

  it('replaces a lapsed reviewer with someone who has not had the answer', () => {
    const picked = pickReviewers({
      owner: 'ann',
      members,
      load: new Map([['dee', 1]]),
      exclude: new Set(['bob', 'cy']),
      count: 1,
    });
    expect(picked).toEqual(['eve']);
  });

  it('gives fewer than asked when the group is too small, and works for an owner who left the group', () => {
    expect(
      pickReviewers({ owner: 'ann', members: ['ann', 'bob'], load: new Map(), exclude: new Set(), count: 3 }),
    ).toEqual(['bob']);
    expect(pickReviewers({ owner: 'zed', members, load: new Map(), exclude: new Set(['ann']), count: 2 })).toEqual([
      'bob',
      'cy',
    ]);
    expect(pickReviewers({ owner: 'ann', members, load: new Map(), exclude: new Set(), count: 0 })).toEqual([]);
  });
});
