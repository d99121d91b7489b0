import { randomBytes } from 'node:crypto';
import Bull, { type Queue } from 'bull';
import { MailProducer } from './mail.producer';

/** The mail producer on a real Bull queue in the local Redis (a queue of its own, removed after). */
describe('MailProducer on Redis (medium tier)', () => {
  let queue: Queue;
  let producer: MailProducer;

  beforeAll(() => {
    queue = new Bull('mail', process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0', {
      prefix: `rehearse-test-${randomBytes(5).toString('hex')}`,
    });
    producer = new MailProducer(queue);
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });
  // each test counts the jobs it made: none left by another
  beforeEach(async () => {
    await queue.empty();
    await queue.clean(0, 'completed');
    await queue.clean(0, 'failed');
  });

  const state = async (id: string) => (await queue.getJob(id))?.getState();

  it('sends again what was lost, finished or gave up, never beside a job still waiting', async () => {
    // lost (or never queued): added
    expect(await producer.sendAgain('invitation', { invitationId: 'a' }, 'a')).toBe(true);
    expect(await state('invitation:a')).toBe('waiting');
    // still waiting: left alone, one job
    expect(await producer.sendAgain('invitation', { invitationId: 'a' }, 'a')).toBe(false);
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1 });

    // gave up (its retries spent while the mail server refused): replaced by a new one
    // (taken as a worker takes it, then failed for good)
    const job = (await queue.getNextJob()) as Bull.Job;
    expect(job.id).toBe('invitation:a');
    await job.discard();
    await job.moveToFailed({ message: 'the mail server refused' }, true);
    await job.releaseLock();
    expect(await state('invitation:a')).toBe('failed');
    expect(await producer.sendAgain('invitation', { invitationId: 'a' }, 'a')).toBe(true);
    expect(await state('invitation:a')).toBe('waiting');
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1, failed: 0 });

    // finished without sending (the e-mail found nothing to send then): queued again too
    const again = (await queue.getNextJob()) as Bull.Job;
    await again.moveToCompleted('skipped', true);
    await again.releaseLock();
    expect(await state('invitation:a')).toBe('completed');
    expect(await producer.sendAgain('invitation', { invitationId: 'a' }, 'a')).toBe(true);
    expect(await state('invitation:a')).toBe('waiting');
    expect((await queue.getJob('invitation:a'))?.data).toMatchObject({ invitationId: 'a' });
  });

  it('queues many in one call, each under its own id, a repeated one once', async () => {
    await producer.sendMany('invitation', [
      { payload: { invitationId: 'b1' }, jobId: 'b1' },
      { payload: { invitationId: 'b2' }, jobId: 'b2' },
    ]);
    await producer.sendMany('invitation', [{ payload: { invitationId: 'b1' }, jobId: 'b1' }]);
    await producer.sendMany('invitation', []);
    const jobs = (await queue.getJobs(['waiting'])).filter((j) => String(j.id).startsWith('invitation:b'));
    expect(jobs.map((j) => [j.id, j.name, j.data.invitationId]).sort()).toEqual([
      ['invitation:b1', 'invitation', 'b1'],
      ['invitation:b2', 'invitation', 'b2'],
    ]);
  });
});
