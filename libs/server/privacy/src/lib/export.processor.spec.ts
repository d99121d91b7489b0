/**
 * The exports consumer at start: unfinished exports are queued again; when PostgreSQL cannot be
 * reached then, the worker starts all the same and queues them once it can.
 */
import { exportJobId } from '@rehearse/shared/contracts';
import type { Queue } from 'bull';
import type { DataExportsRepository } from './data-exports.repository';
import type { ExportBuilder } from './export-builder';
import { ExportProcessor } from './export.processor';

describe('ExportProcessor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function make(unfinished: () => Promise<string[]>) {
    const added: string[] = [];
    const queue = {
      process: jest.fn(),
      on: jest.fn(),
      add: jest.fn(async (_name: string, _data: unknown, opts: { jobId: string }) => added.push(opts.jobId)),
    };
    const rows = { unfinished: jest.fn(unfinished) };
    const processor = new ExportProcessor(
      queue as unknown as Queue,
      rows as unknown as DataExportsRepository,
      {} as ExportBuilder,
    );
    return { processor, added, rows };
  }

  it('queues every unfinished export again at start', async () => {
    const { processor, added } = make(async () => ['e1', 'e2']);
    await processor.onApplicationBootstrap();
    expect(added).toEqual([exportJobId('e1'), exportJobId('e2')]);
  });

  it('starts although PostgreSQL cannot be reached, and queues them once it can', async () => {
    let down = true;
    const { processor, added, rows } = make(async () => {
      if (down) throw new Error('timeout exceeded when trying to connect');
      return ['e3'];
    });
    await expect(processor.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(added).toEqual([]);
    await jest.advanceTimersByTimeAsync(ExportProcessor.RETRY_MS);
    expect(rows.unfinished).toHaveBeenCalledTimes(2);
    expect(added).toEqual([]);
    down = false;
    await jest.advanceTimersByTimeAsync(ExportProcessor.RETRY_MS);
    expect(added).toEqual([exportJobId('e3')]);
    // done: no more tries
    await jest.advanceTimersByTimeAsync(5 * ExportProcessor.RETRY_MS);
    expect(rows.unfinished).toHaveBeenCalledTimes(3);
  });

  it('stops trying when the worker stops', async () => {
    const { processor, rows } = make(async () => {
      throw new Error('connection refused');
    });
    await processor.onApplicationBootstrap();
    processor.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(3 * ExportProcessor.RETRY_MS);
    expect(rows.unfinished).toHaveBeenCalledTimes(1);
  });
});
