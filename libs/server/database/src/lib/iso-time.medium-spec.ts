/**
 * `isoTimeSql`: PostgreSQL writes a moment exactly as a Date read by pg writes it with
 * `toISOString()`, on a connection in another time zone too.
 */
import { openMediumDatabase, type MediumDatabase } from '../testing/medium-database';
import { isoTimeSql } from './typed-sql';

describe('moments as ISO text written by PostgreSQL (medium tier)', () => {
  let m: MediumDatabase;

  beforeAll(async () => {
    m = await openMediumDatabase();
  });
  afterAll(() => m?.close());

  it('as toISOString() writes the Date pg reads: UTC, milliseconds cut, whatever the session’s time zone', async () => {
    const moments = [
      '2026-12-07 08:39:47.676999+00',
      '2026-12-31 23:59:59.999999+00',
      '2027-03-28 01:30:00+01',
      '2026-10-25 02:30:00.5+02',
      '2000-02-29 12:00:00.001+14',
      '1969-12-31 23:59:59.9995+00',
      '2026-06-01 00:00:00+00',
    ];
    for (const zone of ['UTC', 'Europe/Amsterdam', 'Pacific/Kiritimati']) {
      const found = (await m.db.transaction(async (t) => {
        await t.query(`SET LOCAL TIME ZONE '${zone}'`);
        return t.query(
          `SELECT t AS moment, ${isoTimeSql('t')} AS iso FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
          [moments],
        );
      })) as { moment: Date; iso: string }[];
      expect(found.map((r) => r.iso)).toEqual(found.map((r) => r.moment.toISOString()));
    }
  });

  it('leaves a missing moment missing', async () => {
    expect(await m.db.query(`SELECT ${isoTimeSql('NULL::timestamptz')} AS iso`)).toEqual([{ iso: null }]);
  });
});
