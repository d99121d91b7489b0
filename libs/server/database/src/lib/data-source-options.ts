import type { DataSourceOptions, MixedList } from 'typeorm';
import { clientWithDeadline, ListeningClient, statementDeadlineMs } from './statement-deadline';

/**
 * The TypeORM options every process uses. Schema changes only through migrations
 * (see migrations/); application processes never synchronise or migrate on boot.
 */
/**
 * Settings of every connection the application opens:
 * - JIT off: PostgreSQL compiles plans whose estimated cost is high; for this application's short
 *   queries compiling costs far more than it saves (501 of a 536 ms query at 100,000 answers);
 * - random_page_cost 1.1: the default (4) prices a random read as on a spinning disk, which makes
 *   the planner read whole tables where an index would find a coach's few hundred rows; on SSDs
 *   and with the working set in memory (any server this runs on) 1.1 is the usual setting.
 */
export const SESSION_OPTIONS = '-c jit=off -c random_page_cost=1.1';

/**
 * `SESSION_OPTIONS`, with a limit on each statement when `statementTimeoutMs` is above 0, and one on
 * a transaction left waiting between its statements when `idleInTransactionMs` is above 0
 * (`idle_in_transaction_session_timeout`: PostgreSQL ends such a session, so the rows and the
 * advisory locks its transaction holds are freed instead of holding back every request that
 * needs them until the process ends).
 */
export function sessionOptions(statementTimeoutMs: number, idleInTransactionMs = 0): string {
  let options = SESSION_OPTIONS;
  if (statementTimeoutMs > 0) options += ` -c statement_timeout=${statementTimeoutMs}`;
  if (idleInTransactionMs > 0) options += ` -c idle_in_transaction_session_timeout=${idleInTransactionMs}`;
  return options;
}

export function dataSourceOptions(
  databaseUrl: string,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function> = [],
  logErrors = true,
  // connections kept (DATABASE_POOL_SIZE)
  poolSize = 10,
  // how long one statement may run, in milliseconds (the API's API_STATEMENT_TIMEOUT_SECONDS); 0: no limit
  statementTimeoutMs = 0,
  // how long a transaction may wait between its statements, in milliseconds
  // (DATABASE_IDLE_IN_TRANSACTION_SECONDS); 0: no limit
  idleInTransactionMs = 0,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    // no entities: statements are typed SQL (typed-sql.ts) over the row types generated from the
    // migrated schema; TypeORM keeps the connections, the transactions and the migrations
    entities: [],
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: logErrors ? ['error'] : false,
    extra: {
      max: poolSize,
      application_name: 'rehearse',
      options: sessionOptions(statementTimeoutMs, idleInTransactionMs),
      // a database that does not answer fails a request quickly (503) instead of hanging it
      connectionTimeoutMillis: 5000,
      ...connectionKeeping(statementTimeoutMs),
    },
  };
}

/**
 * The pg pool options that notice a database gone silent: TCP keepalive probes on idle
 * connections (one whose host vanished is found and dropped before a request takes it), a client
 * that always listens for its connection's errors (`ListeningClient`), and, with
 * a statement limit, a client that drops a connection whose statement has had no answer well past
 * it (`clientWithDeadline`).
 */
export function connectionKeeping(statementTimeoutMs: number): {
  keepAlive: true;
  keepAliveInitialDelayMillis: number;
  Client: typeof ListeningClient;
} {
  return {
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    Client: statementTimeoutMs > 0 ? clientWithDeadline(statementDeadlineMs(statementTimeoutMs)) : ListeningClient,
  };
}
