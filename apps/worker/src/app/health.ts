import type { Queryable } from '@rehearse/server/database';
import { databaseReachable } from '@rehearse/server/database';
import type { Mailer } from '@rehearse/server/mail';

/** A service's state in the worker's health report (`unknown`: the mail server's first check is still out). */
export type CheckState = { status: 'up' | 'down' | 'unknown' };

/**
 * The worker's readiness (its ops port's `/health`): ready when PostgreSQL and Redis answer, as
 * jobs need both; the mail server is reported beside them but does not make the worker unready
 * (mails wait in the outbox and are sent once it answers). Every check is bounded (PostgreSQL 2 s,
 * Redis's command limit, the mail server's last known state after 2 s), so the report comes within
 * a probe's time limit whatever the services do. Liveness is `/health/live`: the process answers.
 */
export async function workerHealth(
  db: Queryable,
  redis: { ping(): Promise<string> },
  mailer: Pick<Mailer, 'reachable'>,
): Promise<{ ok: boolean; checks: { database: CheckState; redis: CheckState; smtp: CheckState } }> {
  const [database, redisUp, smtp] = await Promise.all([
    databaseReachable(db),
    redis.ping().then(
      (r) => r === 'PONG',
      () => false,
    ),
    mailer.reachable(),
  ]);
  const state = (b: boolean | null): CheckState => ({ status: b === null ? 'unknown' : b ? 'up' : 'down' });
  return {
    ok: database && redisUp,
    checks: { database: state(database), redis: state(redisUp), smtp: state(smtp) },
  };
}
