import type { Queue } from 'bull';

/**
 * Watches a queue's processing loop (what `queue.process(...)` returns, which callers that start it
 * at boot drop). While the queue is closing, its end is nothing to report: Bull's loop fails with
 * "Connection is closed." as its connections go, and that rejection, handled by no one, surfaced
 * in whatever ran next (a test file's next test beside a closing harness). Any other failure is
 * logged and stays a failure (the returned promise rejects; dropped, it ends the process), so that
 * a worker whose loop died is restarted instead of running on without taking jobs.
 */
export function watchProcessing(
  queue: Pick<Queue, 'name'>,
  loop: Promise<unknown>,
  logger: { error(message: string): void },
): Promise<void> {
  return Promise.resolve(loop).then(
    () => undefined,
    (e: unknown) => {
      if ((queue as { closing?: unknown }).closing) return;
      logger.error(`the ${queue.name} queue stopped taking jobs: ${(e as Error).message}`);
      throw e;
    },
  );
}
