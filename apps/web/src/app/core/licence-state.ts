import { differenceInCalendarDays } from 'date-fns';
import { LICENCE_WARNING_DAYS, type Licence } from '@rehearse/shared/contracts';
import { dateOf, isoDay } from './dates';

/**
 * Where a person's licence stands on a given day, as the API decides it: it has ended on its end day
 * (from then on their answers are hidden), it ends soon within LICENCE_WARNING_DAYS (as the
 * administrator's home page warns), or it has not begun yet. `days`: until the start or the end,
 * or since the end.
 */
export type LicenceState =
  | { kind: 'ended'; days: number }
  | { kind: 'ending'; days: number }
  | { kind: 'upcoming'; days: number }
  | { kind: 'running'; days: number };

export function licenceState(
  licence: Licence | null | undefined,
  today: string = isoDay(new Date()) ?? '',
): LicenceState | null {
  const day = dateOf(today);
  const start = dateOf(licence?.startsOn);
  const end = dateOf(licence?.expiresOn);
  if (!day || !start || !end) return null;
  const left = differenceInCalendarDays(end, day);
  if (left <= 0) return { kind: 'ended', days: Math.max(0, -left) };
  const until = differenceInCalendarDays(start, day);
  if (until > 0) return { kind: 'upcoming', days: until };
  return { kind: left <= LICENCE_WARNING_DAYS ? 'ending' : 'running', days: left };
}
