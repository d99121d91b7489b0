import { getQueueToken } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bull';
import { QUEUES } from '@rehearse/shared/contracts';
import { CoreModule, isServiceUnavailable, loadConfig, REDIS_COMMAND_TIMEOUT_MS } from '@rehearse/server/core';
import { silentServer } from '@rehearse/server/testing';
import { QueueModule } from './queue.module';

/**
 * A Redis that takes the connection and then says nothing (paused, or a half-open connection after
 * a network fault): queueing a job (what an upload, an invitation or an export request does) and
 * counting jobs (a metrics scrape) fail as unavailable (503) after REDIS_COMMAND_TIMEOUT_MS, where
 * Bull's connection waited for ever.
 */
describe('the queues on a Redis that falls silent', () => {
  it('fail a command in the time given, as unavailable, on every queue', async () => {
    const silent = await silentServer();
    @Module({
      imports: [CoreModule.forRoot(loadConfig({ REDIS_URL: `redis://127.0.0.1:${silent.port}` })), QueueModule],
    })
    class Queues {}
    const app = await NestFactory.createApplicationContext(Queues, { logger: false });
    const started = Date.now();
    try {
      const failures = await Promise.all(
        Object.values(QUEUES).flatMap((name) => {
          const queue = app.get<Queue>(getQueueToken(name));
          queue.on('error', () => undefined);
          return [queue.add('job', {}, { jobId: 'one' }), queue.getJobCounts()].map((p) =>
            p.then(
              () => null,
              (e: unknown) => e,
            ),
          );
        }),
      );
      expect(failures).toHaveLength(2 * Object.values(QUEUES).length);
      for (const failure of failures) {
        expect(failure).toMatchObject({ message: 'Command timed out' });
        expect(isServiceUnavailable(failure)).toBe(true);
      }
      expect(Date.now() - started).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS + 5_000);
    } finally {
      await app.close();
      await silent.close();
    }
  }, 30_000);
});
