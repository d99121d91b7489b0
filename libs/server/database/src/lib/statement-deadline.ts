import { Client, type ClientConfig } from 'pg';

/**
 * How long a statement may go without an answer before its connection is given up for dead:
 * PostgreSQL's own limit (`statement_timeout`, which ends a statement and keeps the connection)
 * and as long again, at most 5 s more, so that on a network that answers PostgreSQL's limit
 * always comes first.
 */
export function statementDeadlineMs(statementTimeoutMs: number): number {
  return statementTimeoutMs + Math.min(statementTimeoutMs, 5_000);
}

/**
 * A pg `Client` that always listens for its connection's errors. Whoever uses a connection hears of
 * its failure anyway (the statement fails; the pool drops a connection that failed while idle),
 * but between the pool handing a new connection over and TypeORM listening on it (a promise's
 * turn later) nobody listens: when PostgreSQL ended the session at once (a restart, a failover,
 * `pg_terminate_backend`), its last message came in the same read as the one that made the
 * connection ready, and the error, emitted with no listener, ended the process (found by the
 * attacker tier's sweep that ends the sessions under every reading route). The connection is
 * not queryable after it, so its next statement fails as unavailable (503) and the pool drops it.
 */
export class ListeningClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}

/**
 * A pg `Client` that drops its connection when a statement has had no answer for `ms`
 * milliseconds: the statement fails as PostgreSQL out of reach does ("Connection terminated",
 * a 503), and the pool, told of the error, opens a fresh connection for the next one.
 *
 * Why: PostgreSQL's `statement_timeout` ends a statement that runs too long, but only a database
 * that can still answer. Across a network that drops packets (a failover that moved the database's
 * address, a firewall that forgot the flow, a host that vanished) the request waited on TCP's
 * retransmissions, about 15 minutes on Linux, and the connection after it. pg's own `query_timeout`
 * fails the statement but hands the connection back to the pool still waiting for the lost answer,
 * so the next request that took it waited too. Cursors and streams (submitted objects) get no
 * deadline: they are read at the reader's pace.
 */
export function clientWithDeadline(ms: number): typeof Client {
  return class DeadlineClient extends ListeningClient {
    constructor(config?: string | ClientConfig) {
      super(config);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      const drop = () =>
        (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      (this as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const last = args.at(-1);
        const submitted = typeof (args[0] as { submit?: unknown } | null)?.submit === 'function';
        if (submitted) return query(...args);
        const timer = setTimeout(drop, ms);
        timer.unref();
        const done = () => clearTimeout(timer);
        if (typeof last === 'function') {
          const callback = last as (...result: unknown[]) => void;
          return query(...args.slice(0, -1), (...result: unknown[]) => {
            done();
            callback(...result);
          });
        }
        const result = query(...args) as Promise<unknown>;
        // the caller handles the statement's failure; this only stops the clock
        result.then(done, done);
        return result;
      };
    }
  } as typeof Client;
}
