/**
 * The feedback views' read model of answers (AnswerViewsRepository over courses', accounts' and
 * recordings' answers) on real PostgreSQL: an answer with its version, owner and recording; a
 * person's attempts with the mean published total of each source and the AI coach's report.
 */
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { LearningRepository } from '@rehearse/server/courses';
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';
import { AnswerViewsRepository } from './answer-views.repository';

describe('AnswerViewsRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let views: AnswerViewsRepository;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    views = new AnswerViewsRepository(
      m.db,
      new PeopleDirectoryRepository(m.db),
      new AnswerRecordingsRepository(m.db),
      new LearningRepository(m.db),
    );
  });
  afterAll(() => m?.close());

  it('an answer with its version, owner and recording; none of another organisation', async () => {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant, { name: 'Olga Owner' });
    const course = await rows.course(tenant, { title: 'Calm calls' });
    const answer = await rows.answer(tenant, owner, course, { exercise: 1 });
    const recording = await rows.recording(tenant, answer);
    expect(await views.answer(tenant, answer)).toMatchObject({
      id: answer,
      tenant_id: tenant,
      user_id: owner,
      course_id: course.id,
      exercise_id: course.exerciseIds[1],
      attempt: 1,
      answer_type: 'video',
      version: 1,
      owner_name: 'Olga Owner',
      rec_id: recording,
      rec_status: 'transcribed',
      content: expect.objectContaining({ title: 'Calm calls' }),
    });
    expect(await views.answer(await rows.tenant(), answer)).toBeUndefined();
  });

  it('a person’s attempts in attempt order, with each source’s mean published total and the AI report', async () => {
    const tenant = await rows.tenant();
    const owner = await rows.user(tenant);
    const [coach, peer1, peer2] = [
      await rows.user(tenant, { roles: ['coach'] }),
      await rows.user(tenant),
      await rows.user(tenant),
    ];
    const course = await rows.course(tenant);
    const second = await rows.answer(tenant, owner, course, { attempt: 2 });
    const first = await rows.answer(tenant, owner, course, { attempt: 1 });
    const total = async (review: Promise<string>, value: number) =>
      m.db.query(`UPDATE reviews SET total = $2 WHERE id = $1`, [await review, value]);
    await total(rows.review(tenant, first, coach), 3);
    await total(rows.review(tenant, first, peer1, { source: 'peer' }), 2);
    await total(rows.review(tenant, first, peer2, { source: 'peer' }), 4);
    // a draft does not count
    await total(rows.review(tenant, second, coach, { state: 'draft' }), 1);
    const recording = await rows.recording(tenant, second);
    await m.db.query(`INSERT INTO ai_reports (tenant_id, recording_id, report) VALUES ($1, $2, '{"fillers": 3}')`, [
      tenant,
      recording,
    ]);

    const attempts = await views.attempts(tenant, owner, course.id);
    expect(attempts.map((a) => [a.id, a.attempt, a.coach, a.self, a.peer, a.report])).toEqual([
      [first, 1, 3, null, 3, null],
      [second, 2, null, null, null, { fillers: 3 }],
    ]);
    expect(attempts[0].content.modules[0].exercises.map((e) => e.id)).toEqual(course.exerciseIds);
    expect(await views.attempts(await rows.tenant(), owner, course.id)).toEqual([]);
  });
});
