import {
  DummyDriver,
  Kysely,
  sql,
  type RawBuilder,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
  type InferResult,
} from 'kysely';
import type { DB } from './generated/db';

/**
 * Typed SQL: statements built with Kysely over the row types generated from the migrated schema
 * (`generated/db.ts`, `npm run db:types`), so a column's name and type are checked where the
 * statement is written and a result's rows are typed without a cast. The builder never connects:
 * `rows`/`run` compile a statement and run it on the connection they are given — the DataSource
 * or the caller's transaction (EntityManager) — so a repository's statement takes part in its
 * caller's transaction like any other.
 */
export const typed = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * The SQL text of a moment as JavaScript's `toISOString()` writes it (`2026-12-07T08:39:47.676Z`,
 * UTC, milliseconds cut as a Date cuts them), for `column` a timestamptz column's SQL (`l.at`).
 * For rows read by the thousand (a CSV export): pg's parse of the moment into a Date and its
 * `toISOString()` cost about 2 µs of the API's CPU a moment, written by PostgreSQL a fraction.
 */
export function isoTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * `isoTimeSql` in a typed statement (`column` a reference written in code, such as `i.started_at`;
 * `isoTime<null>` for a column that may be null).
 */
export function isoTime<Nullable extends null = never>(column: string): RawBuilder<string | Nullable> {
  return sql<string | Nullable>`${sql.raw(isoTimeSql(column))}`;
}

/** A DataSource or an EntityManager (inside a transaction): what runs SQL. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Runs a statement; its rows, typed by the statement (a RETURNING clause's for writes). */
export async function rows<Q extends Compilable>(m: Queryable, statement: Q): Promise<InferResult<Q>> {
  return (await run(m, statement)).rows;
}

/** Runs a statement: its rows and how many rows it read or changed. */
export async function run<Q extends Compilable>(
  m: Queryable,
  statement: Q,
): Promise<{ rows: InferResult<Q>; count: number }> {
  const compiled = statement.compile();
  const result = await m.query(compiled.sql, compiled.parameters as unknown[]);
  // TypeORM answers an UPDATE or a DELETE with [rows, affected], anything else with its rows
  const kind = compiled.query.kind;
  if (kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode') {
    const [changed, count] = result as [unknown[], number];
    return { rows: changed as InferResult<Q>, count };
  }
  const list = result as unknown[];
  return { rows: list as InferResult<Q>, count: list.length };
}

/** The tables whose rows a change locks before it reads what it changes (each an object of one tenant, by id). */
export type LockableTable = 'users' | 'groups' | 'courses';

/**
 * Locks one row (`SELECT … FOR UPDATE`) until the transaction `m` ends, so that changes to the
 * same object run one after another: a second waits, then reads what the first left (changes at
 * once deadlocked, took one version number twice, or overwrote each other). False when the
 * tenant has no such row. For the owning library's repository to call.
 */
export async function lockRow(m: Queryable, table: LockableTable, tenantId: string, id: string): Promise<boolean> {
  const found = await rows(
    m,
    typed.selectFrom(table).select('id').where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate(),
  );
  return found.length > 0;
}
