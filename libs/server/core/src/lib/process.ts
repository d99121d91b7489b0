import { AppConfig, ConfigError, loadConfig } from './config';

/** For process entry points: the validated config, or exit 78 (EX_CONFIG) with the problems listed. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}

/**
 * Graceful stop for process entry points: on SIGTERM or SIGINT, close the application (queues stop
 * taking jobs and finish the running ones, connections close), then exit 0; give up after 60 s.
 */
export function exitOnSignals(close: () => Promise<void>, log: (msg: string) => void = console.log): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    setTimeout(() => process.exit(1), 60_000).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
