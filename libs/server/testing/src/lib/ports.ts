import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port that is free now, chosen below the kernel's ephemeral range: a port taken from that range
 * (listen on 0) can be handed to an outgoing connection (PostgreSQL, Redis) of a test running in
 * parallel before the caller binds it, and the bind then fails with EADDRINUSE. Below the range
 * only another listener can take it, and each candidate is checked by binding it.
 */
export async function freePort(): Promise<number> {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: the default range's start
  }
  const from = Math.max(1024, low - 12_000);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port found between ${from} and ${low}`);
}
