import {
  parseQuarter,
  quarterBefore,
  quarterDays,
  quarterKey,
  quarterOf,
  quarterPeriod,
  shiftQuarter,
} from './quarter';

describe('quarters of the support review', () => {
  it("reads the address's quarter, and nothing else as one", () => {
    expect(parseQuarter('2026-Q3')).toEqual({ year: 2026, n: 3 });
    for (const bad of [
      '2026-Q5',
      '2026-Q0',
      '2026-q3',
      '1999-Q1',
      '2026Q3',
      ' 2026-Q3',
      '2026-Q3 ',
      '',
      null,
      undefined,
    ])
      expect(parseQuarter(bad)).withContext(String(bad)).toBeNull();
    expect(quarterKey({ year: 2026, n: 4 })).toBe('2026-Q4');
  });

  it('finds the quarter of a day, and the quarters around it across years', () => {
    expect(quarterOf(new Date(2026, 0, 1))).toEqual({ year: 2026, n: 1 });
    expect(quarterOf(new Date(2026, 2, 31, 23, 59))).toEqual({ year: 2026, n: 1 });
    expect(quarterOf(new Date(2026, 3, 1))).toEqual({ year: 2026, n: 2 });
    expect(quarterOf(new Date(2026, 11, 31))).toEqual({ year: 2026, n: 4 });
    expect(shiftQuarter({ year: 2026, n: 4 }, 1)).toEqual({ year: 2027, n: 1 });
    expect(shiftQuarter({ year: 2026, n: 1 }, -1)).toEqual({ year: 2025, n: 4 });
    expect(shiftQuarter({ year: 2026, n: 2 }, -6)).toEqual({ year: 2024, n: 4 });
    expect(quarterBefore({ year: 2025, n: 4 }, { year: 2026, n: 1 })).toBeTrue();
    expect(quarterBefore({ year: 2026, n: 1 }, { year: 2026, n: 1 })).toBeFalse();
  });

  it("asks for a quarter from its first day to the next quarter's, in the reader's calendar", () => {
    const { first, last } = quarterDays({ year: 2026, n: 1 });
    expect([first.getMonth(), first.getDate(), last.getMonth(), last.getDate()]).toEqual([0, 1, 2, 31]);
    const q4 = quarterPeriod({ year: 2026, n: 4 });
    expect(q4.from).toMatch(/^2026-10-01T00:00:00[+-]\d\d:\d\d$/);
    expect(q4.before).toMatch(/^2027-01-01T00:00:00[+-]\d\d:\d\d$/);
    // each end the moment the reader's day began
    expect(new Date(q4.from).getTime()).toBe(new Date(2026, 9, 1).getTime());
    expect(new Date(q4.before).getTime()).toBe(new Date(2027, 0, 1).getTime());
  });
});
