import { weightedScore } from '@rehearse/shared/contracts';

describe('weightedScore', () => {
  const criteria = [
    { id: 'a', title: 'A', description: '', weight: 2, levels: [] },
    { id: 'b', title: 'B', description: '', weight: 1, levels: [] },
  ];

  it('weights each criterion', () => {
    expect(weightedScore(criteria, { a: 5, b: 2 })).toBe(4);
    expect(weightedScore(criteria, { a: 1, b: 4 })).toBe(2);
  });

  it('has no total until every criterion is scored', () => {
    expect(weightedScore(criteria, { a: 5 })).toBeNull();
  });
});
