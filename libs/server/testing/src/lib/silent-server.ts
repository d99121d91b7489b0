import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP server that takes every connection and then says nothing, or answers each connection's
 * first bytes with `answer` and then nothing: a stalled object store, key service or Redis.
 */
export async function silentServer(
  answer?: () => string | null,
): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', () => {
      const reply = answer?.();
      if (reply) socket.write(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A TCP proxy to `target` (a `postgres://` or `redis://` URL's host and port) that can fall silent
 * as a network does when packets are dropped: `freeze()` stops passing bytes either way and keeps
 * every connection open (no FIN, no RST: the peers wait on TCP, as after a failover that moved the
 * database's address or a firewall that dropped the flow), `thaw()` passes them again, to the
 * connections opened after it too. `url` is `target` through the proxy.
 */
export async function freezableProxy(target: string): Promise<{
  url: string;
  /** connections the proxy was asked for */
  connections: () => number;
  freeze: () => void;
  thaw: () => void;
  close: () => Promise<void>;
}> {
  const to = new URL(target);
  const sockets: Socket[] = [];
  let frozen = false;
  let connections = 0;
  const server = createServer((client) => {
    connections++;
    const upstream = connect(Number(to.port || 5432), to.hostname);
    sockets.push(client, upstream);
    const pass = (from: Socket, into: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (!frozen) into.write(chunk);
      });
    pass(client, upstream);
    pass(upstream, client);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        if (!frozen) b.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const through = new URL(target);
  through.hostname = '127.0.0.1';
  through.port = String((server.address() as { port: number }).port);
  return {
    url: through.toString(),
    connections: () => connections,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
