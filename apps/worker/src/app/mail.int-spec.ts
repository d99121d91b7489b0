import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bull';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { QUEUES } from '@rehearse/shared/contracts';
import { loadConfig } from '@rehearse/server/core';
import { createTestDatabase, TestDatabase } from '@rehearse/server/database';
import { Mailbox } from '@rehearse/server/testing';
import { WorkerModule } from './worker.module';

describe('mail worker', () => {
  let database: TestDatabase;
  let worker: INestApplicationContext;
  let queue: Queue;
  let port: number;
  const mailbox = new Mailbox();

  beforeAll(async () => {
    database = await createTestDatabase();
    // find a free port, and leave it closed for now: the SMTP server is "down"
    const probe = new Mailbox();
    port = await probe.start();
    await probe.stop();
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      QUEUE_PREFIX: `rehearse-test-${randomBytes(5).toString('hex')}`,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      LOG_LEVEL: 'silent',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config }), { logger: false });
    await worker.init();
    queue = worker.get<Queue>(getQueueToken(QUEUES.mail));
  });

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close().catch(() => undefined);
    await mailbox.stop();
    await database.drop();
  });

  it('retries with backoff while the mail server is down, then delivers exactly once', async () => {
    const db = worker.get(DataSource);
    const [t] = await db.query(`INSERT INTO tenants (name, slug) VALUES ('T', 't') RETURNING id`);
    const [u] = await db.query(
      `INSERT INTO users (tenant_id, email, name, status) VALUES ($1, 'rita@t.test', 'Rita', 'active') RETURNING id`,
      [t.id],
    );
    await queue.add(
      'security-notice',
      { userId: u.id, notice: 'password-changed' },
      { jobId: 'security-notice:retry-test', attempts: 5, backoff: { type: 'exponential', delay: 500 } },
    );
    // a second enqueue with the same job id is ignored: no duplicate mail
    await queue.add(
      'security-notice',
      { userId: u.id, notice: 'password-changed' },
      { jobId: 'security-notice:retry-test' },
    );
    for (let i = 0; i < 50; i++) {
      const job = await queue.getJob('security-notice:retry-test');
      if ((job?.attemptsMade ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const job = await queue.getJob('security-notice:retry-test');
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(job?.failedReason).toMatch(/ECONNREFUSED|connect/i);
    await mailbox.start(port);
    const mail = await mailbox.waitFor('rita@t.test', /security notice/, 20_000);
    expect(mail.text).toContain('Your Rehearse password was changed.');
    await new Promise((r) => setTimeout(r, 500));
    expect(mailbox.messages).toHaveLength(1);
  });

  it('skips a job whose subject no longer exists instead of failing forever', async () => {
    await queue.add(
      'security-notice',
      { userId: '00000000-0000-4000-8000-000000000000', notice: 'password-changed' },
      { jobId: 'security-notice:gone' },
    );
    let state = '';
    for (let i = 0; i < 50 && state !== 'completed'; i++) {
      state = (await (await queue.getJob('security-notice:gone'))?.getState()) ?? '';
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('completed');
    expect((await queue.getJob('security-notice:gone'))?.returnvalue).toBe('skipped');
  });
});
