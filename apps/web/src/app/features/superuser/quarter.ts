import { startOfDay } from '../../core/dates';

/** A quarter of the calendar: its year and its number (1–4). */
export interface Quarter {
  year: number;
  n: 1 | 2 | 3 | 4;
}

/** The quarter a moment falls in, in the reader's calendar. */
export function quarterOf(date: Date): Quarter {
  return { year: date.getFullYear(), n: (Math.floor(date.getMonth() / 3) + 1) as Quarter['n'] };
}

/** "2026-Q3" (as the address writes it) as its quarter; null for anything else (a year between 2000 and 2099). */
export function parseQuarter(value: string | null | undefined): Quarter | null {
  const m = /^(20\d\d)-Q([1-4])$/.exec(value ?? '');
  return m ? { year: Number(m[1]), n: Number(m[2]) as Quarter['n'] } : null;
}

/** The quarter as the address writes it: "2026-Q3". */
export function quarterKey(q: Quarter): string {
  return `${q.year}-Q${q.n}`;
}

/** The quarter `by` quarters later (earlier where negative). */
export function shiftQuarter(q: Quarter, by: number): Quarter {
  const index = q.year * 4 + (q.n - 1) + by;
  return { year: Math.floor(index / 4), n: ((index % 4) + 1) as Quarter['n'] };
}

/** Whether a comes before b. */
export function quarterBefore(a: Quarter, b: Quarter): boolean {
  return a.year * 4 + a.n < b.year * 4 + b.n;
}

/** Its first and last day (local midnight), for showing it. */
export function quarterDays(q: Quarter): { first: Date; last: Date } {
  return { first: new Date(q.year, (q.n - 1) * 3, 1), last: new Date(q.year, q.n * 3, 0) };
}

/**
 * The period the API is asked for: from the first day's start to the next quarter's, in the reader's
 * calendar (each end with its own offset from UTC, so a quarter across a change of the clocks is exact).
 */
export function quarterPeriod(q: Quarter): { from: string; before: string } {
  const next = quarterDays(shiftQuarter(q, 1)).first;
  return { from: startOfDay(quarterDays(q).first), before: startOfDay(next) };
}
