import { naturalOrder } from './order';

describe('naturalOrder', () => {
  it('orders names as their readers do: accents beside their letter, case ignored, numbers as numbers', () => {
    const names = [
      'Zoë',
      'adam',
      'Émile',
      'Bob',
      'Module 10',
      'Module 2',
      'module 1',
      'Özdemir',
      'van den Berg',
      'Van Dijk',
      'Group 010',
      'Group 9',
    ];
    expect([...names].sort(naturalOrder)).toEqual([
      'adam',
      'Bob',
      'Émile',
      'Group 9',
      'Group 010',
      'module 1',
      'Module 2',
      'Module 10',
      'Özdemir',
      'van den Berg',
      'Van Dijk',
      'Zoë',
    ]);
  });

  it('tells apart names that differ only in case or accents (a stable, total order)', () => {
    expect(naturalOrder('a', 'A')).not.toBe(0);
    expect(naturalOrder('e', 'é')).not.toBe(0);
    expect(naturalOrder('Anna', 'Anna')).toBe(0);
  });
});
