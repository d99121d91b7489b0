/**
 * The exports consumer: unfinished exports are queued again at start and every half minute after
 * (a job Redis lost comes back); when PostgreSQL cannot be reached at start, the worker starts all
 * the same and queues them once it can.
 */
import { PinoLogger } from 'nestjs-pino';
import { logLines } from '@rehearse/server/testing';
import { exportJobId } from '@rehearse/shared/contracts';
import { createLogger, loggerParams } from '@rehearse/server/core';
import type { Job, Queue } from 'bull';
import type { DataExportsRepository } from './data-exports.repository';
import type { ExportBuilder } from './export-builder';
import { ExportProcessor } from './export.processor';

describe('ExportProcessor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  // what the worker's libraries log, as JSON lines
  // what the worker's libraries log, as JSON lines
  const { stream, lines } = logLines();
  const log = new PinoLogger(loggerParams(createLogger('info', stream)));

  function make(
    unfinished: () => Promise<string[]>,
    exports: Partial<ExportBuilder> = {},
    jobs: Record<string, { getState(): Promise<string>; remove(): Promise<void> }> = {},
  ) {
    const added: string[] = [];
    const queue = {
      process: jest.fn(),
      on: jest.fn(),
      getJob: jest.fn(async (jobId: string) => jobs[jobId] ?? null),
      add: jest.fn(async (_name: string, _data: unknown, opts: { jobId: string }) => added.push(opts.jobId)),
    };
    const rows = { unfinished: jest.fn(unfinished) };
    const processor = new ExportProcessor(
      queue as unknown as Queue,
      rows as unknown as DataExportsRepository,
      exports as ExportBuilder,
      log,
    );
    return { processor, added, rows, queue };
  }

  it('binds what is logged while a job runs to the job: queue, name, id and export', async () => {
    // another library's logger: nestjs-pino's loggers share the process's logger and the job's context
    const builder = new PinoLogger({});
    builder.setContext('ExportBuilder');
    const { processor, queue } = make(async () => [], {
      build: async (id: string) => builder.info({ step: 'archive' }, `building ${id}`),
    });
    await processor.onApplicationBootstrap();
    const [name, concurrency, run] = queue.process.mock.calls[0] as [string, number, (job: Job) => Promise<void>];
    expect([name, concurrency]).toEqual(['build', 1]);
    lines.length = 0;
    await run({ name: 'build', id: exportJobId('e9'), data: { exportId: 'e9' } } as unknown as Job);
    builder.info('outside any job');
    expect(lines.map((l) => [l['msg'], l['job']])).toEqual([
      ['building e9', { queue: 'exports', name: 'build', id: exportJobId('e9'), exportId: 'e9' }],
      ['outside any job', undefined],
    ]);
  });

  it('queues every unfinished export again at start, and again every half minute (a job Redis lost comes back)', async () => {
    let unfinished = ['e1', 'e2'];
    const { processor, added } = make(async () => unfinished);
    await processor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(added).toEqual([exportJobId('e1'), exportJobId('e2')]);
    // e1 built meanwhile; e2's job lost with Redis: queued again (a live job would stay the one job)
    unfinished = ['e2'];
    await jest.advanceTimersByTimeAsync(ExportProcessor.EVERY_MS);
    expect(added).toEqual([exportJobId('e1'), exportJobId('e2'), exportJobId('e2')]);
    await processor.onModuleDestroy();
  });

  it("queues again an export whose job spent its attempts (Bull ignores a new job under a kept job's id); a live job stays the one job", async () => {
    const job = (state: string) => ({ getState: jest.fn(async () => state), remove: jest.fn(async () => undefined) });
    const spent = job('failed');
    const running = job('active');
    const { processor, added } = make(
      async () => ['e4', 'e5', 'e6'],
      {},
      {
        [exportJobId('e4')]: spent,
        [exportJobId('e5')]: running,
      },
    );
    await processor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(spent.remove).toHaveBeenCalledTimes(1);
    expect(running.remove).not.toHaveBeenCalled();
    expect(added).toEqual([exportJobId('e4'), exportJobId('e6')]);
    await processor.onModuleDestroy();
  });

  it('starts although PostgreSQL cannot be reached, and queues them once it can', async () => {
    let down = true;
    const { processor, added, rows } = make(async () => {
      if (down) throw new Error('timeout exceeded when trying to connect');
      return ['e3'];
    });
    await expect(processor.onApplicationBootstrap()).resolves.toBeUndefined();
    await jest.advanceTimersByTimeAsync(0);
    expect(added).toEqual([]);
    await jest.advanceTimersByTimeAsync(ExportProcessor.EVERY_MS);
    expect(rows.unfinished).toHaveBeenCalledTimes(2);
    expect(added).toEqual([]);
    down = false;
    await jest.advanceTimersByTimeAsync(ExportProcessor.EVERY_MS);
    expect(added).toEqual([exportJobId('e3')]);
    await processor.onModuleDestroy();
  });

  it('stops looking when the worker stops', async () => {
    const { processor, rows } = make(async () => {
      throw new Error('connection refused');
    });
    await processor.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    await processor.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(3 * ExportProcessor.EVERY_MS);
    expect(rows.unfinished).toHaveBeenCalledTimes(1);
  });
});
