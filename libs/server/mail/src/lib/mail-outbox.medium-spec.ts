/**
 * E-mails kept until sent, on real PostgreSQL and a real Bull queue in the local Redis (the medium
 * tier): kept only with the transaction that tells of them, sent by the worker only while kept and
 * forgotten once sent, queued again by the sweep when their job is gone, given up after a week.
 * The mail server and the composers are fakes.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Bull, { type Queue } from 'bull';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { type AppConfig, Clock, createMetrics, type Metrics } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import type { ComposedMail } from './mail-composition';
import type { MailComposers } from './mail-composers';
import type { Mailer, OutgoingMail } from './mailer';
import { MailProcessor } from './mail.processor';
import { type MailJobData, MailProducer } from './mail.producer';
import { MailOutbox } from './mail-outbox';
import { type KeptMail, MailOutboxRepository } from './mail-outbox.repository';
import { MailOutboxSweeper } from './mail-outbox.sweeper';

describe('e-mails kept until sent (medium tier: PostgreSQL and Redis)', () => {
  let m: MediumDatabase;
  let repo: MailOutboxRepository;
  let queue: Queue;
  let producer: MailProducer;
  let outbox: MailOutbox;
  let tenant: string;
  let person: string;
  const config = { MAIL_SWEEP_AFTER_SECONDS: 120, MAIL_SWEEP_EVERY_SECONDS: 300 } as AppConfig;
  /** a clock `minutes` from now */
  const inMinutes = (minutes: number) => ({ now: () => new Date(Date.now() + minutes * 60_000) }) as Clock;
  const feedback = (reviewId: string): KeptMail<'feedback-published'> => ({
    name: 'feedback-published',
    payload: { reviewId },
    key: reviewId,
    userId: person,
  });
  const metrics = createMetrics('test');
  const sweeperAt = (clock: Clock) => new MailOutboxSweeper(repo, producer, clock, config, metrics);
  const gauge = async () => (await metrics.mailUnsent.get()).values[0]?.value;
  const givenUpInAll = async () => (await metrics.mailGivenUp.get()).values[0]?.value ?? 0;
  const kept = async () =>
    (await m.db.query(`SELECT job_name, job_key, payload FROM mail_outbox ORDER BY created_at, job_key`)) as {
      job_name: string;
      job_key: string;
      payload: unknown;
    }[];

  beforeAll(async () => {
    m = await openMediumDatabase();
    repo = new MailOutboxRepository(m.db);
    queue = new Bull('mail', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0', {
      prefix: `rehearse-test-${randomBytes(5).toString('hex')}`,
    });
    producer = new MailProducer(queue);
    outbox = new MailOutbox(repo, producer);
    tenant = await m.rows.tenant();
    person = await m.rows.user(tenant);
  });
  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    await m?.close();
  });
  beforeEach(async () => {
    await m.db.query(`DELETE FROM mail_outbox`);
    await queue.empty();
    await queue.clean(0, 'completed');
    await queue.clean(0, 'failed');
  });

  it('keeps an e-mail only when the transaction that tells of it commits, once per key', async () => {
    await m.db
      .transaction(async (tx) => {
        await outbox.keep(tenant, [feedback('r-undone')], new Date(), tx);
        throw new Error('the publication failed');
      })
      .catch(() => undefined);
    expect(await kept()).toEqual([]);
    await m.db.transaction((tx) => outbox.keep(tenant, [feedback('r1'), feedback('r2')], new Date(), tx));
    await outbox.keep(tenant, [feedback('r1')], new Date()); // the same e-mail again: still one
    expect(await kept()).toEqual([
      { job_name: 'feedback-published', job_key: 'r1', payload: { reviewId: 'r1' } },
      { job_name: 'feedback-published', job_key: 'r2', payload: { reviewId: 'r2' } },
    ]);
    // queued marked as kept, under the job id the worker reads its key from
    expect(await outbox.queue([feedback('r1')])).toBe(1);
    expect((await queue.getJob('feedback-published:r1'))?.data).toMatchObject({ reviewId: 'r1', kept: true });
  });

  it('leaves an e-mail Redis cannot take to the sweep, and the sweep queues it once its job had its time', async () => {
    const away = new MailOutbox(repo, {
      sendMany: async () => {
        throw new Error('Redis is away');
      },
    } as unknown as MailProducer);
    await m.db.transaction((tx) => away.keep(tenant, [feedback('r3')], new Date(), tx));
    expect(await away.queue([feedback('r3')])).toBe(0);
    expect(await queue.getJob('feedback-published:r3')).toBeNull();

    // too early: a job queued a moment ago may still be on its way
    expect(await sweeperAt(new Clock()).sweep()).toEqual({ unsent: 0, queued: 0, givenUp: 0 });
    expect(await gauge()).toBe(0);
    const sweeper = sweeperAt(inMinutes(3));
    expect(await sweeper.sweep()).toEqual({ unsent: 1, queued: 1, givenUp: 0 });
    // the operator's metric: one e-mail unsent after its time
    expect(await gauge()).toBe(1);
    expect((await queue.getJob('feedback-published:r3'))?.data).toMatchObject({ reviewId: 'r3', kept: true });
    // its job waits: not queued beside it
    expect(await sweeper.sweep()).toEqual({ unsent: 1, queued: 0, givenUp: 0 });
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1 });
  });

  it('gives up an e-mail kept for a week', async () => {
    await outbox.keep(tenant, [feedback('old')], new Date(Date.now() - 8 * 86_400_000));
    await outbox.keep(tenant, [feedback('recent')], new Date(Date.now() - 6 * 86_400_000));
    const before = await givenUpInAll();
    expect(await sweeperAt(new Clock()).sweep()).toEqual({ unsent: 1, queued: 1, givenUp: 1 });
    expect((await kept()).map((k) => k.job_key)).toEqual(['recent']);
    expect(await givenUpInAll()).toBe(before + 1);
  });

  describe('the worker', () => {
    const mailed: OutgoingMail[] = [];
    let refuse = false;
    let nothingToSay = false;
    const mailer = {
      send: async (mail: OutgoingMail) => {
        if (refuse) throw new Error('the mail server refused');
        mailed.push(mail);
      },
    } as unknown as Mailer;
    const composers = {
      compose: async (_name: string, payload: { reviewId: string }): Promise<ComposedMail | null> =>
        nothingToSay
          ? null
          : {
              mail: { to: 'pim@example.test', subject: payload.reviewId, text: '', html: '' },
              sent: async () => undefined,
            },
    } as unknown as MailComposers;
    const metrics = { jobs: { inc: () => undefined } } as unknown as Metrics;
    const log = { logger: pino({ enabled: false }) } as unknown as PinoLogger;
    const processor = () => new MailProcessor(composers, mailer, repo, metrics, log);
    const job = (reviewId: string, data: Partial<MailJobData> = { kept: true }) =>
      ({
        name: 'feedback-published',
        id: `feedback-published:${reviewId}`,
        data: { reviewId, ...data },
        attemptsMade: 0,
      }) as unknown as Bull.Job<MailJobData>;

    beforeEach(() => {
      jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      mailed.length = 0;
      refuse = false;
      nothingToSay = false;
    });
    afterEach(() => jest.restoreAllMocks());

    it('sends a kept e-mail once: forgotten when sent, so the same job queued again sends nothing', async () => {
      await outbox.keep(tenant, [feedback('w1')], new Date());
      expect(await processor().handle(job('w1'))).toBe('sent');
      expect(mailed.map((x) => x.subject)).toEqual(['w1']);
      expect(await kept()).toEqual([]);
      expect(await processor().handle(job('w1'))).toBe('skipped');
      expect(mailed).toHaveLength(1);
    });

    it('keeps the e-mail while the mail server refuses it (the sweep tries again), and forgets one with nothing to say', async () => {
      await outbox.keep(tenant, [feedback('w2'), feedback('w3')], new Date());
      refuse = true;
      await expect(processor().handle(job('w2'))).rejects.toThrow('the mail server refused');
      expect((await kept()).map((k) => k.job_key)).toEqual(['w2', 'w3']);
      refuse = false;
      nothingToSay = true;
      expect(await processor().handle(job('w3'))).toBe('skipped');
      expect((await kept()).map((k) => k.job_key)).toEqual(['w2']);
    });

    it('sends an e-mail that is not kept (queued before there was an outbox) as before', async () => {
      expect(await processor().handle(job('w4', {}))).toBe('sent');
      expect(mailed.map((x) => x.subject)).toEqual(['w4']);
    });
  });
});
