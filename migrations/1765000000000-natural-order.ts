import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists of people, groups and courses in the order their readers expect, whatever locale the
 * database was created with: `natural_order`, ICU's root collation with numbers compared as
 * numbers. Under the C collation of a stock Debian cluster (C.UTF-8) "Émile" and "Özdemir" came
 * after "Zoë" and "Module 10" before "Module 2"; a cluster made with en_US.UTF-8 (the PostgreSQL
 * image's) sorted letters another way, so the same data was listed differently per installation.
 * ICU orders accents, case and digits the same everywhere (and as the API's own sorts, which use
 * ICU's root collation too: `naturalOrder` in @rehearse/server/core).
 *
 * The people list of an organisation is read a page at a time by name: its index now holds the
 * names in that order (the index on lower(name) served the order this replaces).
 */
export class NaturalOrder1765000000000 implements MigrationInterface {
  name = 'NaturalOrder1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE COLLATION natural_order (provider = icu, locale = 'und-u-kn-true')`);
    await q.query(`CREATE INDEX users_name_order_idx ON users (tenant_id, name COLLATE natural_order, id)`);
    await q.query(`DROP INDEX users_search_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX users_search_idx ON users (tenant_id, lower(name))`);
    await q.query(`DROP INDEX users_name_order_idx`);
    await q.query(`DROP COLLATION natural_order`);
  }
}
