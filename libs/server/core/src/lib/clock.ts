import { Injectable } from '@nestjs/common';

/** The time zone the host's clock is set to (TZ, else /etc/localtime): TIME_ZONE's default. */
export function hostTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // a host whose zone ICU cannot name says "Etc/Unknown" (or nothing): UTC then
  return zone && isTimeZone(zone) ? zone : 'UTC';
}

/** The IANA database's names: letters, digits and _ + - / (what may reach SQL: see Clock.sqlTimeZone). */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** Whether `zone` is a time zone of the IANA database this Node.js knows ("Europe/Amsterdam", "UTC"). */
export function isTimeZone(zone: string): boolean {
  // a name, never an offset ("+01:00": newer Node.js takes it, and PostgreSQL reads its sign the other way)
  if (!ZONE_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Fields = Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;

/**
 * All time goes through the clock so tests can move it. Its calendar is the installation's
 * (TIME_ZONE): the day on which a licence ends, a course is due or an agreement ends, and the
 * morning hour of the coaches' e-mail, are the organisation's, not Greenwich's (a licence ending
 * on the 31st hid answers at 01:00 on the 31st in Amsterdam and at 13:00 on the 31st in
 * Auckland, on UTC's calendar). Operational schedules (backups, the privacy log's nightly check)
 * keep UTC's: `utcToday`.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;
  /** UTC until the installation's is set (CoreModule: TIME_ZONE, by default the host's) */
  private zone = 'UTC';
  private parts = Clock.formatter(this.zone);
  /** the last minute asked about and its fields (a zone's offset changes on a minute's start only) */
  private memo: { minute: number; fields: Fields } | null = null;

  private static formatter(zone: string): Intl.DateTimeFormat {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** The calendar's time zone: the installation's (TIME_ZONE) once set, UTC before. */
  get timeZone(): string {
    return this.zone;
  }

  /** The time zone as an SQL literal ('Europe/Amsterdam'), for `AT TIME ZONE` (a checked name: see useTimeZone). */
  get sqlTimeZone(): string {
    return `'${this.zone}'`;
  }

  /** Sets the calendar's time zone (config: TIME_ZONE; the CoreModule sets it at start). */
  useTimeZone(zone: string): void {
    // nothing but a name reaches SQL (sqlTimeZone)
    if (!ZONE_NAME.test(zone)) throw new RangeError(`Invalid time zone: ${zone}`);
    this.parts = Clock.formatter(zone); // throws a RangeError on an unknown zone
    this.zone = zone;
    this.memo = null;
  }

  /** The date now in the installation's time zone, YYYY-MM-DD: what due and end dates are compared with. */
  today(): string {
    return this.dayOf(this.now());
  }

  /** The date of a moment in the installation's time zone, YYYY-MM-DD (as a person there names it). */
  dayOf(at: Date): string {
    const p = this.fields(at);
    return `${p.year}-${p.month}-${p.day}`;
  }

  /** The hour now (0–23) in the installation's time zone. */
  hour(): number {
    return Number(this.fields(this.now()).hour);
  }

  /**
   * The moment the installation's clocks read `hour`:00 on `day` (YYYY-MM-DD): the zone's offset
   * then, found by asking twice (a change of the clocks between the guess and the answer moves it).
   * An hour the clocks skip that night is taken as the one after it.
   */
  instantAt(day: string, hour: number): Date {
    const wall = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
    let at = wall;
    for (let i = 0; i < 2; i++) {
      const f = this.fields(new Date(at));
      const read = Date.UTC(+f.year, +f.month - 1, +f.day, +f.hour, +f.minute);
      at -= read - wall;
    }
    return new Date(at);
  }

  /** The date now in UTC, YYYY-MM-DD: the day of operational schedules (backups, log checks). */
  utcToday(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** asked on every request (the access scope's today): one formatting a minute */
  private fields(at: Date): Fields {
    const minute = Math.floor(at.getTime() / 60_000);
    if (this.memo?.minute === minute) return this.memo.fields;
    const fields = { year: '', month: '', day: '', hour: '', minute: '' };
    for (const { type, value } of this.parts.formatToParts(at))
      if (type === 'year' || type === 'month' || type === 'day' || type === 'hour' || type === 'minute')
        fields[type] = value;
    this.memo = { minute, fields };
    return fields;
  }

  /** Test support: move the clock forward (or back). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
