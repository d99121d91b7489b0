import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createMetrics, startOpsServer } from '@rehearse/server/core';
import { workerHealth } from './health';

/**
 * The worker's health on its ops port, as a Kubernetes probe reads it: `/health` (readiness) says
 * whether its jobs can run, `/health/live` (liveness) only that the process answers.
 */
describe('the worker’s health report', () => {
  const answering = { query: async () => [{ one: 1 }] };
  const pong = { ping: async () => 'PONG' };
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function served(report: () => ReturnType<typeof workerHealth>): Promise<(path: string) => Promise<Response>> {
    const server = await startOpsServer(0, createMetrics('worker').registry, async () => {
      const { ok, checks } = await report();
      return { ok, body: { status: ok ? 'ok' : 'degraded', checks } };
    });
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    return (path) => fetch(`http://127.0.0.1:${port}${path}`);
  }

  it('is ready while PostgreSQL and Redis answer, the mail server’s state beside them (its first check still out: unknown)', async () => {
    const get = await served(() => workerHealth(answering, pong, { reachable: async () => null }));
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' }, smtp: { status: 'unknown' } },
    });
  });

  it('is unready, and still alive, while PostgreSQL does not answer or Redis refuses; a mail server down leaves it ready', async () => {
    const hanging = { query: () => new Promise<unknown[]>(() => undefined) };
    const refusing = { ping: () => Promise.reject(new Error('Connection is closed.')) };
    const get = await served(() => workerHealth(hanging, refusing, { reachable: async () => false }));
    const res = await get('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'degraded',
      checks: { database: { status: 'down' }, redis: { status: 'down' }, smtp: { status: 'down' } },
    });
    // liveness: restarting the worker would not bring PostgreSQL back
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });

    const mailDown = await served(() => workerHealth(answering, pong, { reachable: async () => false }));
    expect((await mailDown('/health')).status).toBe(200);
  });
});
