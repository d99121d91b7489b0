import { weightedScore } from './scoring';

describe('weightedScore', () => {
  const criteria = [
    { id: 'empathy', weight: 2 },
    { id: 'clarity', weight: 1 },
    { id: 'ownership', weight: 1 },
  ];

  it('is the weighted mean of the criterion scores', () => {
    expect(weightedScore(criteria, { empathy: 5, clarity: 3, ownership: 1 })).toBe(3.5);
    expect(weightedScore(criteria, { empathy: 4, clarity: 4, ownership: 4 })).toBe(4);
    expect(
      weightedScore(
        [
          { id: 'a', weight: 0.5 },
          { id: 'b', weight: 1.5 },
        ],
        { a: 1, b: 2 },
      ),
    ).toBe(1.75);
  });

  it('rounds to two decimals', () => {
    expect(
      weightedScore(
        [
          { id: 'a', weight: 1 },
          { id: 'b', weight: 1 },
          { id: 'c', weight: 1 },
        ],
        { a: 1, b: 1, c: 2 },
      ),
    ).toBe(1.33);
  });

  it('is null until every criterion has a score', () => {
    expect(weightedScore(criteria, { empathy: 5, clarity: 3 })).toBeNull();
    expect(weightedScore([], {})).toBeNull();
  });
});
