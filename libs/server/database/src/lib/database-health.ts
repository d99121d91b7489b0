import type { Queryable } from './typed-sql';

/** How long a health check waits for PostgreSQL before it calls it unreachable. */
export const DATABASE_HEALTH_TIMEOUT_MS = 2000;

/**
 * Whether PostgreSQL answers a trivial statement within `timeoutMs`: the health endpoints of the
 * API and the worker ask it, so a database that hangs (not only one that refuses) makes them
 * answer "unhealthy" in time for a probe instead of holding the probe until it gives up.
 */
export async function databaseReachable(db: Queryable, timeoutMs = DATABASE_HEALTH_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
