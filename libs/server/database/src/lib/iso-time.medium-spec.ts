/**
 * `isoTimeSql`: PostgreSQL writes a moment exactly as a Date read by pg writes it with
 * `toISOString()`, on a connection in another time zone too.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { createTestDatabase, type TestDatabase } from './test-database';
import { isoTimeSql } from './typed-sql';

describe('moments as ISO text written by PostgreSQL (medium tier)', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new DataSource(dataSourceOptions(database.url, [], false, 1));
    await db.initialize();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

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
      const found = (await db.transaction(async (m) => {
        await m.query(`SET LOCAL TIME ZONE '${zone}'`);
        return m.query(
          `SELECT t AS moment, ${isoTimeSql('t')} AS iso FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(t, n) ORDER BY n`,
          [moments],
        );
      })) as { moment: Date; iso: string }[];
      expect(found.map((r) => r.iso)).toEqual(found.map((r) => r.moment.toISOString()));
    }
  });

  it('leaves a missing moment missing', async () => {
    expect(await db.query(`SELECT ${isoTimeSql('NULL::timestamptz')} AS iso`)).toEqual([{ iso: null }]);
  });
});
