/** A task repeated in the background (repeatEvery). */
export interface Repeating {
  /**
   * Runs no more rounds; resolves once a round still running has ended (a module's
   * onModuleDestroy awaits it, so a sweep is not cut off by the database and queues closing
   * behind it at shutdown).
   */
  stop(): Promise<void>;
}

/**
 * Runs `task` in the background every `everyMs`, counted from the end of the round before: two
 * rounds never run at once, however long one takes (a sweep of a large organisation, a backup).
 * With `now`, the first round starts at once (else after `everyMs`). The timer does not keep the
 * process alive, and a failure goes to `onError` (the next round runs anyway).
 */
export function repeatEvery(
  everyMs: number,
  task: () => Promise<unknown>,
  onError: (e: Error) => void,
  options: { now?: boolean } = {},
): Repeating {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const round = () => {
    timer = null;
    running = (async () => {
      try {
        await task();
      } catch (e) {
        try {
          onError(e instanceof Error ? e : new Error(String(e)));
        } catch {
          // a failing report must not end the repetition
        }
      }
    })().finally(() => {
      running = null;
      if (!stopped) next();
    });
  };
  const next = () => {
    timer = setTimeout(round, everyMs);
    timer.unref();
  };
  if (options.now) round();
  else next();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
