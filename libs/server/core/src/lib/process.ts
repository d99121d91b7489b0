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

/** The application a signal closes, once it has started. */
export interface Shutdown {
  /** The application is up: from now on a signal closes it before the process exits. */
  started(close: () => Promise<void>, log?: (msg: string) => void): void;
}

/**
 * Graceful stop for process entry points, installed before the application starts: on SIGTERM or
 * SIGINT, close the application (queues stop taking jobs and finish the running ones, connections
 * close), then exit 0; give up after 60 s. A signal while it is still starting (connecting to
 * PostgreSQL and Redis, which can take long when they are down) ends the process at once with 0:
 * it has taken no work yet, and a job a queue handed it meanwhile goes to another worker when its
 * lock expires. (Without a handler Node would end it by the signal, with no exit code.)
 */
export function exitOnSignals(): Shutdown {
  let app: { close: () => Promise<void>; log: (msg: string) => void } | null = null;
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!app) {
      process.stderr.write(`${signal} received while starting: stopping\n`);
      process.exit(0);
    }
    app.log(`${signal} received, shutting down`);
    setTimeout(() => process.exit(1), 60_000).unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  return {
    started(close, log = console.log) {
      app = { close, log };
    },
  };
}
