/**
 * The media queue's consumer: each transcription's log lines, from whichever library, carry the
 * job (queue, name, id, recording and the correlation id of the request that queued it), its
 * failure included; a worker with no media concurrency takes no job.
 */
import { Logger as NestLogger } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import { logLines } from '@rehearse/server/testing';
import { transcribeJobId } from '@rehearse/shared/contracts';
import {
  AppConfig,
  createLogger,
  DependencyUnavailableError,
  createMetrics,
  loggerParams,
  WorkFolder,
} from '@rehearse/server/core';
import type { Job, Queue } from 'bull';
import { MediaProcessor } from './media.processor';
import type { RecordingsRepository } from './recordings.repository';
import type { TranscriptionPipeline } from './transcription.pipeline';

describe('MediaProcessor', () => {
  const { stream, lines } = logLines();
  const log = new PinoLogger(loggerParams(createLogger('info', stream)));
  // Nest's Logger (the processor's own) through nestjs-pino, as the worker's main.ts sets it up
  NestLogger.overrideLogger(new Logger(log, {}));
  // the speech library's logger, say: nestjs-pino's loggers share the process's logger and the job's context
  const speech = new PinoLogger({});
  speech.setContext('WhisperCli');

  function make(concurrency: number, waiting: string[] = []) {
    const queue = { process: jest.fn(), on: jest.fn(), getJob: jest.fn(), add: jest.fn() };
    const pipeline = {
      run: async (id: string) => {
        speech.info(`transcribing ${id}`);
        if (id === 'r-broken') throw new Error('whisper.cpp exited with code 1');
        return 'done';
      },
      giveUp: jest.fn(async () => undefined),
    };
    const metrics = createMetrics('worker');
    const processor = new MediaProcessor(
      queue as unknown as Queue,
      { unfinishedAnswers: async () => waiting } as unknown as RecordingsRepository,
      { MEDIA_CONCURRENCY: concurrency, MEDIA_SWEEP_AFTER_SECONDS: 600, MEDIA_SWEEP_EVERY_SECONDS: 3600 } as AppConfig,
      metrics,
      pipeline as unknown as TranscriptionPipeline,
      { removeOrphans: async () => 0 } as unknown as WorkFolder,
      log,
    );
    return { processor, queue, pipeline, metrics };
  }

  it('binds what is logged during a transcription, its failure included, to the job', async () => {
    const { processor, queue } = make(2);
    await processor.onApplicationBootstrap();
    try {
      const [name, concurrency, run] = queue.process.mock.calls[0] as [string, number, (job: Job) => Promise<string>];
      expect([name, concurrency]).toEqual(['transcribe', 2]);
      const job = (recordingId: string, correlationId?: unknown) =>
        ({
          name: 'transcribe',
          id: transcribeJobId(recordingId),
          data: { recordingId, ...(correlationId ? { correlationId } : {}) },
          attemptsMade: 0,
        }) as unknown as Job;
      lines.length = 0;
      // queued by a request (its correlation id), by the sweep (none), by a hand that wrote a bad one
      await expect(run(job('r-1', 'ticket-12345-abc'))).resolves.toBe('done');
      await expect(run(job('r-broken'))).rejects.toThrow('exited with code 1');
      await expect(run(job('r-2', 'bad id\nwith a newline'))).resolves.toBe('done');
      speech.info('between jobs');
      const bound = (recordingId: string, correlationId?: string) => ({
        queue: 'media',
        name: 'transcribe',
        id: transcribeJobId(recordingId),
        recordingId,
        ...(correlationId ? { correlationId } : {}),
      });
      expect(lines.map((l) => [l['msg'], l['job']])).toEqual([
        ['transcribing r-1', bound('r-1', 'ticket-12345-abc')],
        ['transcribing r-broken', bound('r-broken')],
        ['transcription failed, will retry', bound('r-broken')],
        ['transcribing r-2', bound('r-2')],
        ['between jobs', undefined],
      ]);
    } finally {
      await processor.onModuleDestroy();
    }
  });

  it('fails a recording after its last attempt, unless a service was away or the disk full: then it is left for the sweep', async () => {
    const { processor, queue, pipeline } = make(1);
    await processor.onApplicationBootstrap();
    try {
      const failed = queue.on.mock.calls.find(([event]) => event === 'failed')?.[1] as (job: Job, err: Error) => void;
      const job = (recordingId: string, attemptsMade: number) =>
        ({
          id: transcribeJobId(recordingId),
          data: { recordingId },
          attemptsMade,
          opts: { attempts: 8 },
        }) as unknown as Job;
      const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const away = new DependencyUnavailableError('object storage answered 503');
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      failed(job('r-early', 3), new Error('whisper.cpp exited with code 1'));
      failed(job('r-broken', 8), new Error('whisper.cpp exited with code 1'));
      for (const [id, err] of [
        ['r-full', full],
        ['r-away', away],
        ['r-db', refused],
      ] as const)
        failed(job(id, 8), err);
      await new Promise((resolve) => setImmediate(resolve));
      expect(pipeline.giveUp.mock.calls).toEqual([['r-broken', 'whisper.cpp exited with code 1']]);
    } finally {
      await processor.onModuleDestroy();
    }
  });

  it('queues again the recordings the sweep finds waiting, one live job each, and counts them on the metrics page', async () => {
    const { processor, queue, metrics } = make(1, ['r-1', 'r-2', 'r-3']);
    // r-2's job is still waiting in the queue: not queued twice, but waiting all the same
    queue.getJob.mockImplementation(async (id: string) =>
      id === transcribeJobId('r-2') ? { getState: async () => 'waiting', remove: jest.fn() } : null,
    );
    expect(await processor.sweep(600)).toBe(2);
    expect(queue.add.mock.calls.map(([, data]) => data)).toEqual([{ recordingId: 'r-1' }, { recordingId: 'r-3' }]);
    expect((await metrics.recordingsWaiting.get()).values[0].value).toBe(3);
  });

  it('takes no job where MEDIA_CONCURRENCY is 0 (a GPU host takes them)', async () => {
    const { processor, queue } = make(0);
    await processor.onApplicationBootstrap();
    await processor.onModuleDestroy();
    expect(queue.process).not.toHaveBeenCalled();
  });
});
