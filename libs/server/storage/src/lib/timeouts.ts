import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * How long the object store and the key service may take: `silentMs` without a byte either way on
 * a connection (a call waiting for an answer, or a transfer that stopped), `connectMs` to connect.
 * Neither the `minio` client nor the AWS SDK has a limit by default: a store that accepted the
 * connection and then said nothing (a stalled disk, a half-open connection after a network fault)
 * held the request, or the worker's job, for ever.
 */
export interface ServiceTimeouts {
  connectMs: number;
  silentMs: number;
}

export function serviceTimeouts(config: { STORAGE_TIMEOUT_SECONDS: number }): ServiceTimeouts {
  const silentMs = config.STORAGE_TIMEOUT_SECONDS * 1000;
  return { connectMs: Math.min(10_000, silentMs), silentMs };
}

/** The error a silent service's call fails with: ETIMEDOUT, which the API answers 503. */
function silence(what: string, ms: number): Error {
  return Object.assign(new Error(`${what} sent nothing for ${ms / 1000} s`), { code: 'ETIMEDOUT' });
}

/** Destroys the socket (so its request or response fails) once it has been silent or unconnected too long. */
function watch(socket: Socket | Duplex, timeouts: ServiceTimeouts, what: string): void {
  const s = socket as Socket;
  const connecting = setTimeout(() => {
    if (s.connecting) s.destroy(silence(`${what} (connecting)`, timeouts.connectMs));
  }, timeouts.connectMs);
  connecting.unref();
  s.once('connect', () => clearTimeout(connecting));
  s.once('secureConnect', () => clearTimeout(connecting));
  s.once('close', () => clearTimeout(connecting));
  // kept by the agent across requests (its `timeout` option sets it again on every reuse)
  s.setTimeout(timeouts.silentMs);
  s.on('timeout', () => s.destroy(silence(what, timeouts.silentMs)));
}

/**
 * An agent for the `minio` client (its `transportAgent`): kept-alive connections, each destroyed
 * when silent for `silentMs` or not connected in `connectMs`.
 */
export function storageAgent(useSSL: boolean, timeouts: ServiceTimeouts, what = 'object storage'): HttpAgent {
  const options: AgentOptions = { keepAlive: true, timeout: timeouts.silentMs };
  class Watched extends (useSSL ? HttpsAgent : HttpAgent) {
    override createConnection(...args: Parameters<HttpAgent['createConnection']>): Duplex {
      const socket = super.createConnection(...args) as Duplex;
      watch(socket, timeouts, what);
      return socket;
    }
  }
  return new Watched(options);
}

/** The AWS SDK's request handler settings for the same limits (S3 staging, the KMS key vault). */
export function awsRequestHandler(timeouts: ServiceTimeouts): { connectionTimeout: number; socketTimeout: number } {
  return { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.silentMs };
}
