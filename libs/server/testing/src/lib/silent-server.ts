import { createServer, type Socket } from 'node:net';

/**
 * A TCP server that takes every connection and then says nothing, or answers each connection's
 * first bytes with `answer` and then nothing: a stalled object store, key service or Redis.
 */
export async function silentServer(
  answer?: () => string | null,
): Promise<{ port: number; close: () => Promise<void> }> {
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
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
