/** What `queueAgain` needs of a Bull queue (structural: the core does not load Bull). */
export interface JobQueue {
  getJob(jobId: string): Promise<{ getState(): Promise<string>; remove(): Promise<void> } | null>;
  add(name: string, data: unknown, opts: { jobId: string }): Promise<unknown>;
}

/** States of a job that will still run: a job in one is the one job for its id. */
const LIVE = new Set(['active', 'waiting', 'delayed', 'paused']);

/**
 * Queues a job again by its id (PostgreSQL says the work is unfinished) unless one of that id is
 * still to run. Bull keeps a finished or failed job under its id and ignores a new job of the same
 * id, so one whose attempts were all spent (a service away for longer than its retries) would never
 * run again: it is removed first. Returns whether a job was queued.
 */
export async function queueAgain(queue: JobQueue, name: string, data: unknown, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (job && LIVE.has(await job.getState())) return false;
  if (job) await job.remove().catch(() => undefined);
  await queue.add(name, data, { jobId });
  return true;
}
