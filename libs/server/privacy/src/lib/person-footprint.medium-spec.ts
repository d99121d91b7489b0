/**
 * A person's footprint on real PostgreSQL (the medium tier): the export holds every section, each
 * read from the library that owns its tables, and the erasure counts and removes what the policy
 * of `user-data.ts` says — feedback the person gave others stays, without their name.
 */
import { openMediumDatabase, type MediumDatabase, type Rows } from '@rehearse/server/database';
import type { DataSource } from 'typeorm';
import { AccountsFootprintRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { CoursesFootprintRepository, GroupsRepository } from '@rehearse/server/courses';
import { FeedbackFootprintRepository } from '@rehearse/server/feedback';
import { RecordingsFootprintRepository } from '@rehearse/server/recordings';
import { DataExportsRepository } from './data-exports.repository';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { PersonFootprint } from './person-footprint';

/** The footprint with every library's real repository. */
const footprintOf = (db: DataSource) =>
  new PersonFootprint(
    db,
    new AccountsFootprintRepository(db),
    new CoursesFootprintRepository(db),
    new RecordingsFootprintRepository(db),
    new FeedbackFootprintRepository(db),
    new DataExportsRepository(db),
    new DeletionReceiptsRepository(db),
    new PeopleDirectoryRepository(db),
    new GroupsRepository(db),
  );

describe("a person's footprint (medium tier)", () => {
  let m: MediumDatabase;
  let rows: Rows;
  let footprint: ReturnType<typeof footprintOf>;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    footprint = footprintOf(m.db);
  });
  afterAll(() => m?.close());

  /** Pim with a bit of everything, and the others their data touches. */
  async function world(licenceEnds = '2099-12-31') {
    const tenant = await rows.tenant();
    const pim = await rows.user(tenant, { name: 'Pim', email: 'pim@medium.test', roles: ['participant', 'coach'] });
    const cora = await rows.user(tenant, { name: 'Cora', roles: ['coach'] });
    const pia = await rows.user(tenant, { name: 'Pia' });
    const group = await rows.group(tenant, 'Sales');
    await rows.member(tenant, group, pim);
    const course = await rows.course(tenant, { title: 'Handling complaints', exercises: 2 });
    await rows.enrolment(tenant, course.id, { groupId: group, dueOn: '2027-03-01' });
    // a personal enrolment (the group's is the group's: in the organisation's export)
    const other = await rows.course(tenant, { title: 'Coaching basics' });
    await rows.enrolment(tenant, other.id, { userId: pim, coachId: cora, dueOn: '2027-04-01' });
    await rows.licence(tenant, pim, licenceEnds);
    const first = await rows.answer(tenant, pim, course, { submittedAt: new Date('2026-11-01T10:00:00Z') });
    const second = await rows.answer(tenant, pim, course, {
      exercise: 1,
      submittedAt: new Date('2026-11-02T10:00:00Z'),
    });
    const recording = await rows.recording(tenant, first);
    const [{ id: transcript }] = await m.db.query(
      `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, audio_seconds, processing_ms, no_speech)
       VALUES ($1, $2, 'pocketsphinx', 'en-us', 'en', 'hello there', 2, 10, false) RETURNING id`,
      [tenant, recording],
    );
    await m.db.query(
      `INSERT INTO transcript_words (tenant_id, transcript_id, idx, start_s, end_s, text, confidence)
       VALUES ($1, $2, 0, 0.5, 0.9, 'hello', 0.9), ($1, $2, 1, 1.0, 1.4, 'there', 0.8)`,
      [tenant, transcript],
    );
    await m.db.query(`INSERT INTO ai_reports (tenant_id, recording_id, report) VALUES ($1, $2, '{"pace": 120}')`, [
      tenant,
      recording,
    ]);
    await rows.share(tenant, first, group);
    const coached = await rows.review(tenant, first, cora, { summary: 'Warm and clear' });
    await m.db.query(
      `INSERT INTO review_comments (tenant_id, review_id, idx, at_s, text) VALUES ($1, $2, 0, 3, 'Good start')`,
      [tenant, coached],
    );
    // a peer's published review of Pim's answer: no coach's name on it
    await rows.review(tenant, second, pia, { source: 'peer', summary: 'Nice' });
    // Pim's own reviews of Pia's answer: one published (stays, anonymised), one draft (goes)
    const piaAnswer = await rows.answer(tenant, pia, course);
    const piaSecond = await rows.answer(tenant, pia, course, { exercise: 1 });
    await rows.review(tenant, piaAnswer, pim, { source: 'peer', summary: 'Keep the pace' });
    await rows.review(tenant, piaSecond, pim, { source: 'peer', state: 'draft' });
    await m.db.query(
      `INSERT INTO trusted_devices (tenant_id, user_id, label, token_hash, security_stamp, expires_at) VALUES ($1, $2, 'Firefox on Linux', gen_random_uuid()::text, gen_random_uuid(), now() + interval '30 days')`,
      [tenant, pim],
    );
    await m.db.query(
      `INSERT INTO sessions (sid, sess, expire) VALUES ($1, json_build_object('auth', json_build_object('userId', $2::text)), now() + interval '1 day')`,
      [`s-${pim}`, pim],
    );
    await m.db.query(
      `INSERT INTO impersonations (tenant_id, superuser_id, target_user_id, reason, started_at, expires_at)
       VALUES ($1, $2, $3, 'Support ticket 42: cannot see a course', now(), now() + interval '1 hour')`,
      [tenant, cora, pim],
    );
    await rows.dataExport(tenant, pim);
    return { tenant, pim, pia, course, group, first, second, recording, piaAnswer };
  }

  it('exports every section from the tables that hold it', async () => {
    const w = await world();
    const found = await m.db.transaction('REPEATABLE READ', (q) =>
      footprint.exportOf(w.tenant, w.pim, '2026-12-01', new Date('2026-12-01T12:00:00Z'), ['log'], q),
    );
    if (!found) throw new Error('no export');
    const { data, recordings } = found;
    expect(data['exportedAt']).toBe('2026-12-01T12:00:00.000Z');
    expect(data['profile']).toMatchObject({ email: 'pim@medium.test', name: 'Pim', roles: ['coach', 'participant'] });
    expect(data['licence']).toEqual(
      expect.objectContaining({ expiresOn: '2099-12-31', keepStatus: null, recordingsDeletedAt: null }),
    );
    expect(data['answersHidden']).toBeNull();
    expect(data['groups']).toEqual([expect.objectContaining({ name: 'Sales', role: 'participant' })]);
    expect(data['enrolments']).toEqual([{ course: 'Coaching basics', startsOn: null, dueOn: '2027-04-01' }]);
    const answers = data['answers'] as Record<string, unknown>[];
    expect(answers.map((a) => [a['id'], a['course'], a['exercise']])).toEqual([
      [w.first, 'Handling complaints', 'Exercise 1'],
      [w.second, 'Handling complaints', 'Exercise 2'],
    ]);
    expect(answers[0]).toMatchObject({
      recordingId: w.recording,
      recordingStatus: 'transcribed',
      aiReport: { report: { pace: 120 } },
      sharedWith: { group: 'Sales', sharedAt: expect.any(String) },
    });
    expect(answers[1]).toMatchObject({ recordingId: null, aiReport: null, sharedWith: null });
    const received = data['feedbackReceived'] as Record<string, unknown>[];
    expect(received.map((r) => [r['answerId'], r['source'], r['coachName'], r['summary']]).sort()).toEqual(
      [
        [w.first, 'coach', 'Cora', 'Warm and clear'],
        [w.second, 'peer', null, 'Nice'],
      ].sort(),
    );
    expect(received.find((r) => r['source'] === 'coach')?.['comments']).toEqual([
      { at: 3, text: 'Good start', tag: null },
    ]);
    // what Pim gave others names neither the answer nor its owner
    const given = data['feedbackGiven'] as Record<string, unknown>[];
    expect(given.map((r) => [r['state'], r['answer']]).sort()).toEqual([
      ['draft', "another participant's answer"],
      ['published', "another participant's answer"],
    ]);
    expect(given.every((r) => !('answerId' in r) && !('coachName' in r))).toBe(true);
    expect(data['privacyLog']).toEqual(['log']);
    expect(data['trustedDevices']).toEqual([expect.objectContaining({ label: 'Firefox on Linux' })]);
    expect(data['sessions']).toHaveLength(1);
    expect(data['impersonations']).toEqual([
      expect.objectContaining({ reason: 'Support ticket 42: cannot see a course' }),
    ]);
    expect(data['exports']).toEqual([expect.objectContaining({ state: 'ready' })]);
    expect(data['identities']).toEqual([]);
    expect(data['deletionReceipts']).toEqual([]);
    // the recording to copy, with its transcript as text and captions
    expect(recordings).toEqual([
      expect.objectContaining({
        answer_id: w.first,
        container: 'webm',
        text: 'hello there',
        vtt: expect.stringMatching(/^WEBVTT[\s\S]*hello there/),
      }),
    ]);
    expect(await footprint.exportOf(await rows.tenant(), w.pim, '2026-12-01', new Date(), [], m.db)).toBeUndefined();
  });

  it('leaves answers, recordings and feedback received out once the licence has expired', async () => {
    const w = await world('2026-11-15');
    const found = await footprint.exportOf(w.tenant, w.pim, '2026-12-01', new Date(), [], m.db);
    expect(found?.data).toMatchObject({
      answers: [],
      feedbackReceived: [],
      answersHidden: expect.stringContaining('2026-11-15'),
    });
    expect(found?.recordings).toEqual([]);
    // what they gave others is theirs still
    expect(found?.data['feedbackGiven']).toHaveLength(2);
  });

  it("erases the person, their answers and everything on them, and keeps the feedback they published on others' answers", async () => {
    const w = await world();
    // asked in another organisation, the person has nothing there
    const elsewhere = await rows.tenant();
    expect(await footprint.idsNaming(elsewhere, w.pim)).toEqual([w.pim]);
    expect(await footprint.storedObjects(elsewhere, w.pim)).toEqual([]);
    expect((await footprint.idsNaming(w.tenant, w.pim)).sort()).toEqual(
      expect.arrayContaining([w.pim, w.first, w.second, w.recording]),
    );
    expect(await footprint.storedObjects(w.tenant, w.pim)).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: w.recording })]),
    );
    expect(await footprint.erase(w.tenant, w.pim)).toEqual({
      counts: {
        answers: 2,
        recordings: 1,
        transcripts: 1,
        feedbackReceived: 2,
        feedbackGivenAnonymised: 1,
        sessions: 1,
        exports: 1,
        feedbackDraftsDeleted: 1,
        organisationExportsWithdrawn: 0,
      },
      withdrawnArchives: [],
    });
    expect(await footprint.person(w.tenant, w.pim)).toBeUndefined();
    const [left] = await m.db.query(
      `SELECT (SELECT count(*)::int FROM answers WHERE user_id = $1) AS answers,
              (SELECT count(*)::int FROM sessions WHERE user_id = $1::text) AS sessions,
              (SELECT count(*)::int FROM reviews WHERE answer_id = $2 AND reviewer_id IS NULL AND state = 'published') AS anonymised`,
      [w.pim, w.piaAnswer],
    );
    expect(left).toEqual({ answers: 0, sessions: 0, anonymised: 1 });
  });

  it('erases nothing when the person is not in the organisation named', async () => {
    const tenant = await rows.tenant();
    const other = await rows.tenant();
    const person = await rows.user(tenant);
    const course = await rows.course(tenant);
    await rows.answer(tenant, person, course);
    expect(await footprint.erase(other, person)).toBeUndefined();
    // the whole transaction rolled back: the answer and the person are still there
    expect(await footprint.person(tenant, person)).toMatchObject({ id: person });
    const [{ n }] = await m.db.query(`SELECT count(*)::int AS n FROM answers WHERE user_id = $1`, [person]);
    expect(n).toBe(1);
    expect(await footprint.erase(tenant, person)).toMatchObject({ counts: { answers: 1 } });
    expect(await footprint.person(tenant, person)).toBeUndefined();
  });
});
