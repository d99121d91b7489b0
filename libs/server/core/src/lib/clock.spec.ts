import { Clock, hostTimeZone, isTimeZone } from './clock';

describe('the clock’s calendar (TIME_ZONE)', () => {
  /** a clock standing at `iso` */
  const at = (iso: string, zone?: string) => {
    const clock = new Clock();
    if (zone) clock.useTimeZone(zone);
    clock.advance(Date.parse(iso) - Date.now());
    return clock;
  };

  it("names the day and the hour as people in the installation's time zone do, across UTC's midnight", () => {
    // 23:30 UTC on 30 December: already the 31st in Amsterdam (CET) and Auckland (NZDT, UTC+13)
    expect(at('2026-12-30T23:30:00Z', 'UTC').today()).toBe('2026-12-30');
    expect(at('2026-12-30T23:30:00Z', 'Europe/Amsterdam').today()).toBe('2026-12-31');
    expect(at('2026-12-30T11:30:00Z', 'Pacific/Auckland').today()).toBe('2026-12-31');
    expect(at('2026-12-30T10:30:00Z', 'Pacific/Auckland').today()).toBe('2026-12-30');
    // and still the 30th in New York at 03:00 UTC on the 31st
    expect(at('2026-12-31T03:00:00Z', 'America/New_York').today()).toBe('2026-12-30');
    // the hour of the coaches' morning e-mail: 06:00 in Amsterdam is 05:00 UTC in winter, 04:00 in summer
    expect(at('2026-12-07T05:00:00Z', 'Europe/Amsterdam').hour()).toBe(6);
    expect(at('2026-07-07T04:00:00Z', 'Europe/Amsterdam').hour()).toBe(6);
    expect(at('2026-07-07T04:00:00Z', 'UTC').hour()).toBe(4);
    // midnight is hour 0, not 24
    expect(at('2026-12-07T23:00:00Z', 'Europe/Amsterdam').hour()).toBe(0);
    // operational schedules keep UTC's day whatever the zone
    expect(at('2026-12-30T23:30:00Z', 'Europe/Amsterdam').utcToday()).toBe('2026-12-30');
    expect(at('2026-12-30T23:30:00Z', 'Asia/Tokyo').dayOf(new Date('2026-12-30T14:59:59Z'))).toBe('2026-12-30');
    expect(at('2026-12-30T23:30:00Z', 'Asia/Tokyo').dayOf(new Date('2026-12-30T15:00:00Z'))).toBe('2026-12-31');
  });

  it("finds the moment the installation's clocks read an hour of a day, summer time and half-hour offsets too", () => {
    const instant = (zone: string, day: string, hour: number) =>
      at('2026-12-07T12:00:00Z', zone).instantAt(day, hour).toISOString();
    expect(instant('UTC', '2026-12-07', 6)).toBe('2026-12-07T06:00:00.000Z');
    expect(instant('Europe/Amsterdam', '2026-12-07', 6)).toBe('2026-12-07T05:00:00.000Z');
    expect(instant('Europe/Amsterdam', '2026-07-07', 6)).toBe('2026-07-07T04:00:00.000Z');
    // the night the clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October, 03:00 → 02:00)
    expect(instant('Europe/Amsterdam', '2026-03-29', 6)).toBe('2026-03-29T04:00:00.000Z');
    expect(instant('Europe/Amsterdam', '2026-10-25', 6)).toBe('2026-10-25T05:00:00.000Z');
    expect(instant('Asia/Kolkata', '2026-12-07', 6)).toBe('2026-12-07T00:30:00.000Z');
    expect(instant('Asia/Kathmandu', '2026-12-07', 6)).toBe('2026-12-07T00:15:00.000Z');
    expect(instant('America/New_York', '2026-12-07', 0)).toBe('2026-12-07T05:00:00.000Z');
    expect(instant('Pacific/Auckland', '2026-12-07', 6)).toBe('2026-12-06T17:00:00.000Z');
  });

  it('moves with the clock and with a change of zone (no day kept from before)', () => {
    const clock = at('2026-12-30T22:59:00Z', 'Europe/Amsterdam');
    expect(clock.today()).toBe('2026-12-30');
    clock.advance(60_000);
    expect(clock.today()).toBe('2026-12-31');
    clock.useTimeZone('UTC');
    expect(clock.today()).toBe('2026-12-30');
  });

  it('takes only time zones of the IANA database, and gives SQL nothing but the name', () => {
    expect(isTimeZone('Europe/Amsterdam')).toBe(true);
    expect(isTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isTimeZone('Etc/GMT+5')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('+01:00')).toBe(false);
    const clock = new Clock();
    expect(() => clock.useTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => clock.useTimeZone("UTC'; DROP TABLE users; --")).toThrow(RangeError);
    expect(clock.timeZone).toBe('UTC');
    clock.useTimeZone('Europe/Amsterdam');
    expect(clock.sqlTimeZone).toBe("'Europe/Amsterdam'");
  });

  it("takes the host's zone by default, and UTC on a host whose zone has no name", () => {
    const resolved = Intl.DateTimeFormat.prototype.resolvedOptions;
    const hostSays = (timeZone: string | undefined) =>
      jest.spyOn(Intl.DateTimeFormat.prototype, 'resolvedOptions').mockImplementation(function (
        this: Intl.DateTimeFormat,
      ) {
        return { ...resolved.call(this), timeZone } as Intl.ResolvedDateTimeFormatOptions;
      });
    try {
      hostSays('Europe/Amsterdam');
      expect(hostTimeZone()).toBe('Europe/Amsterdam');
      // Node.js names no zone for a TZ it does not know; ICU elsewhere says Etc/Unknown
      hostSays(undefined);
      expect(hostTimeZone()).toBe('UTC');
      hostSays('Etc/Unknown');
      expect(hostTimeZone()).toBe('UTC');
    } finally {
      jest.restoreAllMocks();
    }
  });
});
