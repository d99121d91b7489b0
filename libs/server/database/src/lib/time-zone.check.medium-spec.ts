/**
 * DatabaseTimeZoneCheck on real PostgreSQL: the installation's time zone must be one PostgreSQL
 * knows too (it reads the host's time-zone database, Node.js its own copy).
 */
import type { AppConfig } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase } from '../testing/medium-database';
import { DatabaseTimeZoneCheck } from './time-zone.check';

describe('the time zone at start-up (medium tier)', () => {
  let m: MediumDatabase;
  beforeAll(async () => {
    m = await openMediumDatabase();
  });
  afterAll(() => m?.close());

  const check = (zone: string) =>
    new DatabaseTimeZoneCheck(m.db, { TIME_ZONE: zone } as AppConfig).onApplicationBootstrap();

  it('starts with a zone PostgreSQL knows, and refuses, naming it, one it does not', async () => {
    await expect(check('Europe/Amsterdam')).resolves.toBeUndefined();
    await expect(check('UTC')).resolves.toBeUndefined();
    // (the configuration refuses this one first; here it stands for a zone only Node.js's copy has)
    await expect(check('Mars/Olympus_Mons')).rejects.toThrow(
      /^TIME_ZONE is "Mars\/Olympus_Mons", which PostgreSQL does not know \(time zone "Mars\/Olympus_Mons" not recognized\)/,
    );
  });
});
