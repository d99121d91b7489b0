/**
 * Runs `task` every `everyMs` in the background: the timer does not keep the process alive, and
 * a failure goes to `onError` (the next round runs anyway). Returns the function that stops it.
 */
export function repeatEvery(everyMs: number, task: () => Promise<unknown>, onError: (e: Error) => void): () => void {
  const timer = setInterval(() => void task().catch(onError), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
