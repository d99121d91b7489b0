import type { Queryable } from './typed-sql';

/**
 * How many rows the organisation has in each table with a `tenant_id` (the tables found from the
 * schema, so a new table is counted without a change here), leaving out tables where it has none:
 * the counts of a destruction report, taken in its transaction before the tenant row goes.
 */
export async function tenantRowCounts(m: Queryable, tenantId: string): Promise<Record<string, number>> {
  const tables = (await m.query(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'tenants' ORDER BY table_name`,
  )) as { table_name: string }[];
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = (await m.query(`SELECT count(*)::int AS n FROM "${table_name}" WHERE tenant_id = $1`, [
      tenantId,
    ])) as { n: number }[];
    if (n) counts[table_name] = n;
  }
  return counts;
}
