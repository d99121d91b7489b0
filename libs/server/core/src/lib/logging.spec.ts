import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import { logLines } from '@rehearse/server/testing';
import {
  createLogger,
  loggableUrl,
  loggerParams,
  quietStartup,
  requestLogging,
  traced,
  withJobLogging,
} from './logging';

describe('request addresses in logs', () => {
  const token = 'q8Vx3J5m0dZr2bWcHkLp7yT1nA4sE6uG9oIfRvXeYzQ';

  it.each([
    [`/api/invitations/${token}`, '/api/invitations/[redacted]'],
    [`/invitation/${token}?utm=x`, '/invitation/[redacted]'],
    [`/api/auth/password-reset/${token}`, '/api/auth/password-reset/[redacted]'],
    ['/password-reset/short', '/password-reset/[redacted]'],
    [`/api/auth/email-change/${token}`, '/api/auth/email-change/[redacted]'],
    ['/email-change/short', '/email-change/[redacted]'],
    [`/API/Invitations/${token}`, '/API/Invitations/[redacted]'],
    [`/api/auth/sso/callback?code=${token}&state=${token}`, '/api/auth/sso/callback'],
    [`/api/something/${token}/more`, '/api/something/[redacted]/more'],
    [`/api/x/${'y'.repeat(80)}`, '/api/x/[redacted]'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggableUrl(url)).toBe(logged);
  });

  it('keeps ordinary addresses, UUIDs and the server’s upload ids readable', () => {
    for (const url of [
      '/api/invitations/accept',
      '/api/auth/password-reset',
      '/api/auth/password-reset/complete',
      '/api/auth/email-change/confirm',
      '/api/account/email',
      '/api/recordings/3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a/content',
      '/api/uploads/0123456789abcdef0123456789abcdef',
      '/api/admin/users',
    ]) {
      expect(loggableUrl(url)).toBe(url);
    }
  });
});

describe('request logging', () => {
  const { stream, lines } = logLines();
  const logger = createLogger('info', stream);
  // what a service's Logger writes through (nestjs-pino), in and out of a request
  const serviceLog = new PinoLogger(loggerParams(logger));
  let server: Server;
  let base: string;
  const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  beforeAll(async () => {
    const log = requestLogging(logger);
    server = createServer((req, res) =>
      log(req, res, () => {
        const url = req.url ?? '';
        if (url.startsWith('/traced')) {
          // what a job queued here would carry, read after an await as a service would
          void Promise.resolve().then(() => res.end(JSON.stringify(traced())));
          return;
        }
        if (url.startsWith('/slow')) {
          setTimeout(() => res.end('late'), 300);
          return;
        }
        if (url.startsWith('/quiet')) {
          res.end('{}');
          return;
        }
        if (url.startsWith('/assigned')) {
          // a service adding fields to the rest of the request's lines (nestjs-pino's assign)
          serviceLog.assign({ account: 'a-1' });
          void Promise.resolve().then(() => {
            serviceLog.info('later in the request');
            res.end('{}');
          });
          return;
        }
        serviceLog.info({ step: url }, 'a service at work');
        res.statusCode = url.startsWith('/broken') ? 500 : 200;
        res.end('{}');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => (lines.length = 0));
  const settle = () => new Promise((r) => setTimeout(r, 50));
  const requestLines = () => lines.filter((l) => String(l['msg']).startsWith('request '));

  it('answers with a correlation id and logs one line: method, address without secrets, status, time; no header', async () => {
    const token = 'q8Vx3J5m0dZr2bWcHkLp7yT1nA4sE6uG9oIfRvXeYzQ';
    const res = await fetch(`${base}/api/invitations/${token}?code=${token}`, {
      headers: { cookie: 'rehearse.sid=secret-cookie', authorization: 'Bearer secret-bearer' },
    });
    const id = res.headers.get('x-correlation-id');
    expect(id).toMatch(ID);
    await settle();
    expect(requestLines()).toEqual([
      {
        level: 30,
        time: expect.any(Number),
        pid: process.pid,
        hostname: expect.any(String),
        req: { id, method: 'GET', url: '/api/invitations/[redacted]' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
        msg: 'request completed',
      },
    ]);
    expect(JSON.stringify(requestLines())).not.toMatch(/secret|q8Vx3J5m/);
  });

  it('keeps a well-formed id the caller sent and replaces a malformed one', async () => {
    const kept = await fetch(`${base}/api/x`, { headers: { 'x-correlation-id': 'ticket-12345-abc' } });
    expect(kept.headers.get('x-correlation-id')).toBe('ticket-12345-abc');
    const replaced = await fetch(`${base}/api/x`, { headers: { 'x-correlation-id': 'bad id\twith tab' } });
    expect(replaced.headers.get('x-correlation-id')).toMatch(ID);
  });

  it('binds what services log during the request to it, and nothing outside a request', async () => {
    const res = await fetch(`${base}/api/courses`);
    serviceLog.info({ step: 'outside' }, 'a service at work');
    await settle();
    const id = res.headers.get('x-correlation-id');
    expect(lines.filter((l) => l['msg'] === 'a service at work').map((l) => [l['step'], l['req']])).toEqual([
      ['/api/courses', { id, method: 'GET', url: '/api/courses' }],
      ['outside', undefined],
    ]);
  });

  it('gives the jobs queued during a request its correlation id, and none outside a request', async () => {
    const res = await fetch(`${base}/traced`, { headers: { 'x-correlation-id': 'ticket-777-traced' } });
    expect(await res.json()).toEqual({ correlationId: 'ticket-777-traced' });
    expect(traced()).toEqual({});
  });

  it('logs a 5xx at error level, and a request whose client left before the answer as aborted', async () => {
    await fetch(`${base}/broken`);
    const gone = new AbortController();
    const slow = fetch(`${base}/slow`, { signal: gone.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 100));
    gone.abort();
    expect(await slow).toBe('aborted');
    await new Promise((r) => setTimeout(r, 400));
    expect(requestLines().map((l) => [l['level'], l['msg'], (l['req'] as { url: string }).url])).toEqual([
      [50, 'request failed', '/broken'],
      [30, 'request aborted', '/slow'],
    ]);
  });

  it('keeps the fields a service assigns for the rest of the request, and for that request only', async () => {
    const res = await fetch(`${base}/assigned`);
    await fetch(`${base}/api/courses`);
    await settle();
    const said = lines.filter((l) => l['msg'] === 'later in the request' || l['msg'] === 'a service at work');
    expect(said.map((l) => [l['msg'], l['account'], (l['req'] as { id: string }).id])).toEqual([
      ['later in the request', 'a-1', res.headers.get('x-correlation-id')],
      ['a service at work', undefined, expect.any(String)],
    ]);
  });

  it('makes a request its own logger only when something in it logs', async () => {
    const child = jest.spyOn(logger, 'child');
    try {
      await fetch(`${base}/quiet`);
      await settle();
      expect(child).not.toHaveBeenCalled();
      // the request's own line is written by the process's logger, with the request's bindings
      expect(requestLines().map((l) => [l['msg'], (l['req'] as { url: string }).url])).toEqual([
        ['request completed', '/quiet'],
      ]);
      await fetch(`${base}/api/courses`);
      expect(child).toHaveBeenCalledTimes(1);
    } finally {
      child.mockRestore();
    }
  });

  it('binds what a job’s work logs to the job and the request that queued it, and passes the id on', async () => {
    // the worker's processors hand withJobLogging the process's PinoLogger, as here
    const job = { name: 'transcribe', id: 7, data: { correlationId: 'ticket-12345-abc' } };
    const carried = await withJobLogging(serviceLog, 'media', job, { recordingId: 'r-1' }, async () => {
      await Promise.resolve();
      serviceLog.info('working');
      return traced();
    });
    expect(carried).toEqual({ correlationId: 'ticket-12345-abc' });
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.map((l) => [l['msg'], l['job']])).toEqual([
      ['working', { queue: 'media', name: 'transcribe', id: 7, recordingId: 'r-1', correlationId: 'ticket-12345-abc' }],
    ]);
  });

  it('does not log the health checks, which still get their correlation id', async () => {
    for (const path of ['/api/health', '/api/health/live']) {
      const res = await fetch(`${base}${path}`);
      expect(res.headers.get('x-correlation-id')).toMatch(ID);
    }
    await settle();
    expect(requestLines()).toEqual([]);
  });
});

describe('request logging above info level', () => {
  it('writes a failed request’s line and no other', async () => {
    const { stream, lines } = logLines();
    const log = requestLogging(createLogger('warn', stream));
    const server = createServer((req, res) =>
      log(req, res, () => {
        res.statusCode = req.url === '/broken' ? 503 : 200;
        res.end('{}');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await fetch(`${base}/fine`);
      await fetch(`${base}/broken`);
      await new Promise((r) => setTimeout(r, 50));
      expect(lines.map((l) => [l['level'], l['msg'], (l['req'] as { url: string }).url])).toEqual([
        [50, 'request failed', '/broken'],
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("Nest's lines about starting", () => {
  @Controller('things')
  class ThingsController {
    @Get()
    list(): string[] {
      return [];
    }
  }
  @Module({ controllers: [ThingsController] })
  class ThingsModule {}

  /** The logger's calls while an application of one module and one route starts, then says something itself. */
  async function start(quiet: boolean): Promise<[string, unknown[]][]> {
    const seen: [string, unknown[]][] = [];
    const recorder = {
      log: (...a: unknown[]) => seen.push(['log', a]),
      error: (...a: unknown[]) => seen.push(['error', a]),
      warn: (...a: unknown[]) => seen.push(['warn', a]),
      debug: (...a: unknown[]) => seen.push(['debug', a]),
      verbose: (...a: unknown[]) => seen.push(['verbose', a]),
    };
    const app = await NestFactory.create(ThingsModule, { bufferLogs: true });
    app.useLogger(quiet ? quietStartup(recorder) : recorder);
    // (the lines kept while it started are written once it listens, as main.ts's)
    await app.listen(0, '127.0.0.1');
    new NestLogger('Main').log('listening');
    await app.close();
    return seen;
  }
  /** method → the contexts it was called with */
  const byMethod = (seen: [string, unknown[]][]) => {
    const out: Record<string, string[]> = {};
    for (const [method, args] of seen) {
      const context = String(args[args.length - 1]);
      if (!(out[method] ??= []).includes(context)) out[method].push(context);
    }
    for (const contexts of Object.values(out)) contexts.sort();
    return out;
  };

  it('go to debug: at info a start says it started, and what the application says itself', async () => {
    // Nest's own: a line for each module, controller and route
    expect(byMethod(await start(false))).toEqual({
      log: ['InstanceLoader', 'Main', 'NestApplication', 'NestFactory', 'RouterExplorer', 'RoutesResolver'],
    });
    const quiet = await start(true);
    expect(byMethod(quiet)).toEqual({
      log: ['Main', 'NestApplication', 'NestFactory'],
      debug: ['InstanceLoader', 'RouterExplorer', 'RoutesResolver'],
    });
    expect(quiet).toContainEqual(['debug', ['Mapped {/things, GET} route', 'RouterExplorer']]);
  });

  it('leave warnings and errors of those parts of Nest as they are', () => {
    const seen: [string, unknown[]][] = [];
    const logger = quietStartup({
      log: (...a: unknown[]) => seen.push(['log', a]),
      error: (...a: unknown[]) => seen.push(['error', a]),
      warn: (...a: unknown[]) => seen.push(['warn', a]),
      debug: (...a: unknown[]) => seen.push(['debug', a]),
    });
    logger.log('Mapped {/x, GET} route', 'RouterExplorer');
    logger.warn('a warning', 'RouterExplorer');
    logger.error('failed', 'trace', 'InstanceLoader');
    logger.log('started', 'Main');
    expect(seen).toEqual([
      ['debug', ['Mapped {/x, GET} route', 'RouterExplorer']],
      ['warn', ['a warning', 'RouterExplorer']],
      ['error', ['failed', 'trace', 'InstanceLoader']],
      ['log', ['started', 'Main']],
    ]);
  });
});
