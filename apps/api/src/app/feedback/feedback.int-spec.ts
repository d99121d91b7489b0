import { randomUUID } from 'node:crypto';
import readXlsxFile from 'read-excel-file/node';
import type { ReportOverview } from '@rehearse/shared/contracts';
import { PeerRotation } from '@rehearse/server/feedback';
import { Client, Harness, PASSWORD, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody } from '../../test/courses';
import { JFK_WAV, uploadFile, waitForRecording } from '../../test/media';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const EMPATHY = '0b6c1f38-8d3c-4c8e-9a52-2f1d2b3c4d5e';
const STRUCTURE = '1c7d2e49-9e4d-4d9f-8b63-3a2e3c4d5e6f';
const TEXT_EXERCISE = '5f0e8b1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b';
const DAY = 86_400_000;

type Name =
  'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'pH' | 'cG' | 'cH' | 'admin' | 'dev' | 'adminB' | 'coachB' | 'participantB';

/**
 * Feedback end to end: group G (p1…p5, coach cG) and group H (pH, coach cH) of tenant A take one
 * course; tenant B's people are strangers. A text exercise takes coach, peer (N=2, Empathy only,
 * 3 days) and self feedback with self-assessment first; an audio exercise takes coach and AI
 * feedback with Structure linked to three metrics.
 */
describe('feedback on answers', () => {
  let h: Harness;
  const c = {} as Record<Name, Client>;
  const id = {} as Record<Name | 'tenant' | 'course' | 'groupG' | 'groupH' | 'rubric', string>;
  const answers = {} as Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'pH' | 'audio', string>;

  beforeAll(async () => {
    h = await startHarness();
    const world = await seedTwoTenants(h);
    id.tenant = world.a.tenantId;
    id.p1 = world.a.ids.participant;
    id.p2 = world.a.ids.participant2;
    id.cG = world.a.ids.coach;
    for (const n of [3, 4, 5] as const)
      id[`p${n}`] = await h.createUser(id.tenant, `Participant ${n}`, `p${n}@a.test`, ['participant']);
    id.pH = await h.createUser(id.tenant, 'Participant H', 'ph@a.test', ['participant']);
    id.cH = await h.createUser(id.tenant, 'Coach H', 'ch@a.test', ['coach']);
    c.p1 = await h.signIn(world.a.emails.participant);
    c.p2 = await h.signIn(world.a.emails.participant2);
    for (const n of [3, 4, 5] as const) c[`p${n}`] = await h.signIn(`p${n}@a.test`, PASSWORD);
    c.pH = await h.signIn('ph@a.test', PASSWORD);
    c.cG = await h.signIn(world.a.emails.coach);
    c.cH = await h.signIn('ch@a.test', PASSWORD);
    c.admin = await h.signIn(world.a.emails.admin);
    c.dev = await h.signIn(world.a.emails.developer);
    c.adminB = await h.signIn(world.b.emails.admin);
    c.coachB = await h.signIn(world.b.emails.coach);
    c.participantB = await h.signIn(world.b.emails.participant);

    const rubric = await c.dev.post('/api/authoring/rubrics', {
      title: 'Conversation',
      description: '',
      criteria: [
        {
          id: EMPATHY,
          title: 'Empathy',
          description: 'Acknowledges feelings',
          weight: 2,
          levels: [1, 2, 3, 4, 5].map((score) => ({ score, descriptor: `Empathy ${score}` })),
        },
        {
          id: STRUCTURE,
          title: 'Structure',
          description: 'Clear and fluent',
          weight: 1,
          levels: [1, 3, 5].map((score) => ({ score, descriptor: `Structure ${score}` })),
        },
      ],
    });
    expect(rubric.status).toBe(201);
    id.rubric = rubric.body.id;
    const created = await c.dev.post('/api/authoring/courses', { title: 'Feedback course', language: 'en' });
    const saved = await c.dev.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: created.body.draft.revision,
      content: {
        title: 'Feedback course',
        description: '',
        language: 'en',
        modules: [
          {
            id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            title: 'Complaints',
            exercises: [
              exerciseBody(TEXT_EXERCISE, id.rubric, {
                feedback: ['coach', 'peer', 'self'],
                testKind: 'baseline',
                peerReview: { reviewers: 2, dueDays: 3, criterionIds: [EMPATHY] },
                selfAssessmentFirst: true,
              }),
              exerciseBody(AUDIO_EXERCISE, id.rubric, {
                title: 'On the phone',
                answerType: 'audio',
                feedback: ['coach', 'peer', 'ai'],
                testKind: 'final',
                ai: {
                  language: 'en',
                  keyPhrases: ['ask not', 'country'],
                  avoidPhrases: [],
                  wpmMin: 100,
                  wpmMax: 200,
                  maxFillersPerMinute: 4,
                  targetDurationSeconds: 11,
                  criterionLinks: [{ criterionId: STRUCTURE, metrics: ['speaking_rate', 'pauses', 'key_phrases'] }],
                },
              }),
            ],
          },
        ],
      },
    });
    expect(saved.status).toBe(200);
    expect(
      (await c.dev.post(`/api/authoring/courses/${created.body.id}/publish`, { changeSummary: 'First' })).status,
    ).toBe(200);
    id.course = created.body.id;
    for (const [g, participants, coach] of [
      ['G', [id.p1, id.p2, id.p3, id.p4, id.p5], id.cG],
      ['H', [id.pH], id.cH],
    ] as const) {
      const group = await c.admin.post('/api/admin/groups', { name: `Group ${g}` });
      expect(
        (await c.admin.put(`/api/admin/groups/${group.body.id}/members`, { participants, coaches: [coach] })).status,
      ).toBe(200);
      expect(
        (
          await c.admin.post('/api/admin/enrolments', {
            courseId: id.course,
            groupId: group.body.id,
            dueOn: '2027-01-31',
          })
        ).status,
      ).toBe(201);
      id[`group${g}` as 'groupG'] = group.body.id;
    }
    for (const p of ['p1', 'p2', 'p3', 'p4', 'p5', 'pH'] as const) {
      const a = await c[p].post(`/api/my/courses/${id.course}/exercises/${TEXT_EXERCISE}/text-answers`, {
        text: `I understand, ${p}. Let me check your order.`,
      });
      expect(a.status).toBe(201);
      answers[p] = a.body.id;
    }
    const audio = await c.p1.post(`/api/my/courses/${id.course}/exercises/${AUDIO_EXERCISE}/recordings`, {
      uploadId: await uploadFile(c.p1, JFK_WAV),
    });
    expect(audio.status).toBe(201);
    answers.audio = audio.body.id;
    expect((await waitForRecording(c.p1, audio.body.recording.id)).body.status).toBe('transcribed');
  });
  afterAll(() => h.close());

  const logRows = async (subject: string, type: string, action: string) =>
    (
      await h.db.query(
        `SELECT count(*)::int AS n FROM privacy_log WHERE subject_id = $1 AND object_type = $2 AND action = $3`,
        [subject, type, action],
      )
    )[0].n as number;

  // Each test below is one story whose steps build on each other; the stories share the world made
  // above but not their steps, so they pass in any order (npm run test:order).
  it('coach feedback: the queue, the review screen, drafts, publishing, self-assessment first, the AI findings, the reports and the progress across the course', async () => {
    {
      // lists the coach's participants' answers awaiting feedback, oldest first, with the due date
      const q = await c.cG.get('/api/coaching/reviews?pageSize=10');
      expect(q.status).toBe(200);
      expect(q.body.total).toBe(6); // five text answers and the audio answer of group G
      expect(q.body.items.map((i: { answerId: string }) => i.answerId).slice(0, 5)).toEqual([
        answers.p1,
        answers.p2,
        answers.p3,
        answers.p4,
        answers.p5,
      ]);
      expect(q.body.items[0]).toMatchObject({
        participantName: 'Participant a',
        groupName: 'Group G',
        courseTitle: 'Feedback course',
        exerciseTitle: 'The angry customer',
        dueOn: '2027-01-31',
        drafted: false,
      });
      // one course's answers: this course's are all of them, another's none, a malformed id refused
      expect((await c.cG.get(`/api/coaching/reviews?pageSize=10&courseId=${id.course}`)).body.total).toBe(6);
      const none = await c.cG.get(`/api/coaching/reviews?courseId=${randomUUID()}`);
      expect([none.status, none.body.total, none.body.items]).toEqual([200, 0, []]);
      expect((await c.cG.get('/api/coaching/reviews?courseId=nope')).status).toBe(400);
      // the queue's courses, each with how many wait: the coach's own; counting logs nothing
      const before = await logRows(id.p1, 'answer', 'list');
      const courses = await c.cG.get('/api/coaching/reviews/courses');
      expect([courses.status, courses.body]).toEqual([
        200,
        [{ courseId: id.course, courseTitle: 'Feedback course', waiting: 6 }],
      ]);
      expect(await logRows(id.p1, 'answer', 'list')).toBe(before);
      expect((await c.cH.get('/api/coaching/reviews/courses')).body).toEqual([
        { courseId: id.course, courseTitle: 'Feedback course', waiting: 1 },
      ]);
      // not a coach: refused by role (a participant's queue would be empty anyway)
      expect((await c.p1.get('/api/coaching/reviews/courses')).status).toBe(403);
      const other = await c.cH.get('/api/coaching/reviews');
      expect(other.body.items.map((i: { answerId: string }) => i.answerId)).toEqual([answers.pH]);
      const listed = await logRows(id.p1, 'answer', 'list');
      const paged = await c.cG.get('/api/coaching/reviews?page=2&pageSize=4');
      expect(paged.body.items).toHaveLength(2);
      // the listing is privacy-logged per listed answer: p1 (the audio answer) is on page 2
      expect(paged.body.items.map((i: { participantId: string }) => i.participantId)).toContain(id.p1);
      expect(await logRows(id.p1, 'answer', 'list')).toBe(listed + 1);
      const [row] = await h.db.query(
        `SELECT actor_id, object_id FROM privacy_log WHERE subject_id = $1 AND action = 'list' ORDER BY id DESC LIMIT 1`,
        [id.p1],
      );
      expect(row).toEqual({ actor_id: id.cG, object_id: answers.audio });
    }
    {
      // opens the review screen with the rubric, the marker tags and no draft, and logs the look
      const before = await logRows(id.p1, 'answer', 'review');
      const ctx = await c.cG.get(`/api/answers/${answers.p1}/review`);
      expect(ctx.status).toBe(200);
      expect(ctx.body).toMatchObject({
        role: 'coach',
        participantId: id.p1,
        review: null,
        aiMarkers: [],
        answer: { id: answers.p1, text: 'I understand, p1. Let me check your order.' },
      });
      expect(ctx.body.criteria.map((x: { title: string; levels: unknown[] }) => [x.title, x.levels.length])).toEqual([
        ['Empathy', 5],
        ['Structure', 3],
      ]);
      expect(ctx.body.markerTags).toContain('empathy');
      expect(await logRows(id.p1, 'answer', 'review')).toBe(before + 1);
    }
    {
      // refuses bad drafts with every problem named, and loses nothing
      const bad = await c.cG.put(`/api/answers/${answers.p1}/review`, {
        scores: { [EMPATHY]: 7, 'not-a-criterion': 1 },
        summary: 'x',
        comments: [{ at: 30, text: 'Late', tag: 'no such tag', aiFinding: null }],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        [`comments.0.at`, 'comments.0.tag', `scores.${EMPATHY}`, 'scores.not-a-criterion'].sort(),
      );
      expect(
        (
          await c.cG.put(`/api/answers/${answers.p1}/review`, {
            scores: {},
            summary: 'x',
            comments: [{ at: -1, text: '', tag: null, aiFinding: null }],
          })
        ).status,
      ).toBe(400);
      expect(
        (await c.cG.put(`/api/answers/${answers.p1}/review`, { scores: [], summary: 3, comments: 'no' })).status,
      ).toBe(400);
      expect(
        (
          await c.cG.put(`/api/answers/${answers.p1}/review`, {
            scores: {},
            summary: '',
            comments: [],
            aiDecisions: { 'filler:0': 'accepted' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await h.db.query(`SELECT count(*)::int AS n FROM reviews WHERE answer_id = $1 AND source = 'coach'`, [
            answers.p1,
          ])
        )[0].n,
      ).toBe(0);
    }
    {
      // autosaves drafts with revisions, refuses a stale one, and publishes only when every criterion is scored
      const first = await c.cG.put(`/api/answers/${answers.p1}/review`, {
        scores: { [EMPATHY]: 4 },
        summary: 'Good start',
        comments: [{ at: 0, text: 'Warm opening', tag: 'good opening', aiFinding: null }],
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        state: 'draft',
        source: 'coach',
        revision: 1,
        total: null,
        comments: [{ at: 0, text: 'Warm opening', tag: 'good opening' }],
      });
      const second = await c.cG.put(`/api/answers/${answers.p1}/review`, {
        revision: 1,
        scores: { [EMPATHY]: 4 },
        summary: 'Good start, clear plan',
        comments: [],
      });
      expect(second.body).toMatchObject({ revision: 2, summary: 'Good start, clear plan', comments: [] });
      const stale = await c.cG.put(`/api/answers/${answers.p1}/review`, {
        revision: 1,
        scores: {},
        summary: 'Lost update',
        comments: [],
      });
      expect(stale.status).toBe(409);
      expect((await c.cG.get('/api/coaching/reviews')).body.items[0]).toMatchObject({
        answerId: answers.p1,
        drafted: true,
      });
      const early = await c.cG.post(`/api/answers/${answers.p1}/review/publish`, { revision: 2 });
      expect(early.status).toBe(400);
      expect(early.body.errors).toEqual([{ field: `scores.${STRUCTURE}`, messages: ['“Structure” needs a score'] }]);
      const third = await c.cG.put(`/api/answers/${answers.p1}/review`, {
        revision: 2,
        scores: { [EMPATHY]: 4, [STRUCTURE]: 5 },
        summary: 'Good start, clear plan',
        comments: [{ at: 0, text: 'Warm opening', tag: 'good opening', aiFinding: null }],
      });
      expect(third.body.total).toBe(4.33); // (2×4 + 1×5) / 3
      const before = h.mailbox.messages.length;
      const published = await c.cG.post(`/api/answers/${answers.p1}/review/publish`, { revision: 3 });
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ state: 'published', total: 4.33 });
      const mail = await h.mailbox.waitFor(
        'participant@a.test',
        /New feedback on “The angry customer”/,
        15_000,
        before,
      );
      expect(mail.text).toContain(`/answers/${answers.p1}`);
      expect(mail.text).not.toContain('Good start');
      expect(
        (await c.cG.put(`/api/answers/${answers.p1}/review`, { revision: 4, scores: {}, summary: '', comments: [] }))
          .status,
      ).toBe(409);
      expect(
        (await c.cG.get('/api/coaching/reviews')).body.items.map((i: { answerId: string }) => i.answerId),
      ).not.toContain(answers.p1);
    }
    {
      // holds others' feedback back until the trainee has assessed themselves
      const pending = await c.p1.get(`/api/answers/${answers.p1}/feedback`);
      expect(pending.status).toBe(200);
      // (whether it is shared is the peer story's: the stories run in any order)
      expect(pending.body).toMatchObject({ selfAssessmentPending: true, reviews: [], peersAllowed: true });
      expect(pending.body.attempts).toEqual([
        expect.objectContaining({ answerId: answers.p1, attempt: 1, coachTotal: null, selfTotal: null }),
      ]);
      const ctx = await c.p1.get(`/api/answers/${answers.p1}/review`);
      expect(ctx.body).toMatchObject({ role: 'self', aiMarkers: [], otherReviews: [] });
      const self = await c.p1.put(`/api/answers/${answers.p1}/review`, {
        scores: { [EMPATHY]: 3, [STRUCTURE]: 3 },
        summary: 'I rushed',
        comments: [],
      });
      expect(self.status).toBe(200);
      expect(
        (await c.p1.post(`/api/answers/${answers.p1}/review/publish`, { revision: self.body.revision })).status,
      ).toBe(200);
      const after = await c.p1.get(`/api/answers/${answers.p1}/feedback`);
      expect(after.body.selfAssessmentPending).toBe(false);
      // (a peer's published review may sit beside them: the peer story runs before or after this one)
      expect(
        after.body.reviews
          .filter((r: { source: string }) => r.source !== 'peer')
          .map((r: { source: string; total: number }) => [r.source, r.total]),
      ).toEqual([
        ['coach', 4.33],
        ['self', 3],
      ]);
      // each review says who wrote it
      expect(
        after.body.reviews
          .filter((r: { source: string }) => r.source !== 'peer')
          .map((r: { source: string; reviewerName: string | null }) => [r.source, r.reviewerName]),
      ).toEqual([
        ['coach', 'Coach a'],
        ['self', 'Participant a'],
      ]);
      expect(after.body.attempts[0]).toMatchObject({ coachTotal: 4.33, selfTotal: 3 });
    }
    {
      // logs the coach's and administrator's views of the feedback, not the trainee's own
      const before = await logRows(id.p1, 'feedback', 'view');
      await c.p1.get(`/api/answers/${answers.p1}/feedback`);
      expect(await logRows(id.p1, 'feedback', 'view')).toBe(before);
      expect((await c.cG.get(`/api/answers/${answers.p1}/feedback`)).status).toBe(200);
      expect((await c.admin.get(`/api/answers/${answers.p1}/feedback`)).status).toBe(200);
      expect(await logRows(id.p1, 'feedback', 'view')).toBe(before + 2);
    }
    {
      // offers the AI markers and proposed scores; accepted ones become comments, the coach score wins
      const ctx = await c.cG.get(`/api/answers/${answers.audio}/review`);
      expect(ctx.status).toBe(200);
      const report = await c.cG.get(`/api/recordings/${ctx.body.answer.recording.id}/assessment`);
      expect(report.status).toBe(200);
      const structure = ctx.body.aiProposed.find((p: { criterionId: string }) => p.criterionId === STRUCTURE);
      expect(structure).toBeDefined();
      const judged = report.body.metrics.filter(
        (m: { id: string; verdict: string }) =>
          ['speaking_rate', 'pauses', 'key_phrases'].includes(m.id) && m.verdict !== 'info',
      );
      expect(structure.basis.sort()).toEqual(judged.map((m: { id: string }) => m.id).sort());
      expect(structure.passed).toBe(judged.filter((m: { verdict: string }) => m.verdict === 'pass').length);
      expect([1, 3, 5]).toContain(structure.score);
      const markers: { key: string; at: number; decision: string }[] = ctx.body.aiMarkers;
      const heard =
        report.body.keyPhrases.filter((k: { found: boolean }) => k.found).length +
        report.body.fillers.length +
        report.body.pauses.length;
      expect(markers).toHaveLength(heard);
      expect(markers.length).toBeGreaterThan(0);
      expect(markers.every((m) => m.decision === 'proposed')).toBe(true);
      const decisions: Record<string, string> = {
        [markers[0].key]: 'accepted',
        ...(markers[1] ? { [markers[1].key]: 'dismissed' } : {}),
      };
      const coachStructure = structure.score === 5 ? 1 : 5;
      const draft = await c.cG.put(`/api/answers/${answers.audio}/review`, {
        scores: { [EMPATHY]: 5, [STRUCTURE]: coachStructure },
        summary: 'Strong delivery',
        comments: [],
        aiDecisions: decisions,
      });
      expect(draft.status).toBe(200);
      const reopened = await c.cG.get(`/api/answers/${answers.audio}/review`);
      expect(reopened.body.aiMarkers.find((m: { key: string }) => m.key === markers[0].key).decision).toBe('accepted');
      const published = await c.cG.post(`/api/answers/${answers.audio}/review/publish`, {
        revision: draft.body.revision,
      });
      expect(published.status).toBe(200);
      expect(published.body.scores[STRUCTURE]).toBe(coachStructure);
      expect(published.body.comments).toEqual([
        expect.objectContaining({ aiFinding: markers[0].key, at: markers[0].at }),
      ]);
      const trainee = await c.p1.get(`/api/answers/${answers.audio}/feedback`);
      expect(trainee.body.reviews.find((r: { source: string }) => r.source === 'coach').comments[0].aiFinding).toBe(
        markers[0].key,
      );
    }
    {
      // reports the agreement of AI-proposed and coach scores per exercise
      const o = await c.cG.get(`/api/reports/overview?courseId=${id.course}`);
      expect(o.status).toBe(200);
      expect(o.body.agreement).toEqual([
        {
          courseId: id.course,
          courseTitle: 'Feedback course',
          exerciseId: AUDIO_EXERCISE,
          exerciseTitle: 'On the phone',
          pairs: 1,
          exact: 0,
          adjacent: expect.any(Number),
          meanAbsoluteDifference: expect.any(Number),
        },
      ]);
      expect(o.body.agreement[0].meanAbsoluteDifference).toBeGreaterThanOrEqual(2);
    }
    {
      // gives coaches their groups and administrators everything, with CSV export
      const g = await c.cG.get('/api/reports/overview');
      expect(g.body).toMatchObject({
        participants: 5,
        active: 5,
        participationRate: 1,
        answers: 6,
        reviewed: 2,
        baselineMean: 4.33,
        finalMean: expect.any(Number),
      });
      expect(g.body.criteria.filter((x: { criterionTitle: string }) => x.criterionTitle === 'Empathy')).toEqual([
        expect.objectContaining({ groupName: 'Group G', courseTitle: 'Feedback course', meanScore: 4.5, reviews: 2 }),
      ]);
      const hh = await c.cH.get('/api/reports/overview');
      expect(hh.body).toMatchObject({ participants: 1, active: 1, reviewed: 0, criteria: [], agreement: [] });
      expect((await c.cH.get(`/api/reports/overview?groupId=${id.groupG}`)).status).toBe(404);
      const all = await c.admin.get('/api/reports/overview');
      expect(all.body).toMatchObject({ participants: 6, active: 6 });
      await c.admin.put(`/api/admin/groups/${id.groupG}`, { name: '=HYPERLINK("http://evil")' });
      const csv = await c.admin.get('/api/reports/export?table=criteria');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toBe(
        `attachment; filename="rehearse-criteria-${h.clock.today()}.csv"`,
      );
      // UTF-8's byte order mark first, so Excel reads the accents of names as they are
      expect(csv.text.split('\n')[0]).toBe('\ufeffgroup,course,criterion,month,mean_score,reviews');
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect((await c.admin.get('/api/reports/export?table=agreement')).text.split('\n')[0]).toBe(
        '\ufeffcourse,exercise,pairs,exact_share,adjacent_share,mean_absolute_difference',
      );
      expect((await c.admin.get('/api/reports/export?table=people')).status).toBe(400);

      // the same tables as Excel workbooks: numbers as numbers and months as dates (a CSV's "4.5" is
      // text or a date to Dutch Excel), text never a formula, the headings in the reader's language
      const workbook = async (table: string, language: string) => {
        const res = await c.admin.agent
          .get(`/api/reports/export?table=${table}&format=xlsx`)
          .set('Accept-Language', language)
          .responseType('blob');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe(XLSX);
        // named for the table and the day, so a month's downloads do not overwrite each other
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="rehearse-${table}-${h.clock.today()}.xlsx"`,
        );
        return readXlsxFile(res.body as Buffer);
      };
      const [scores] = await workbook('criteria', 'en-GB,en;q=0.9');
      expect(scores.sheet).toBe('Scores');
      expect(scores.data[0]).toEqual(['Group', 'Course', 'Criterion', 'Month', 'Mean score', 'Reviews']);
      const listed = (await c.admin.get('/api/reports/overview?pageSize=500')).body as ReportOverview;
      expect(listed.criteria.length).toBeGreaterThan(0);
      expect(scores.data.slice(1)).toEqual(
        listed.criteria.map((r) => [
          r.groupName,
          r.courseTitle,
          r.criterionTitle,
          new Date(`${r.month}-01T00:00:00Z`),
          r.meanScore,
          r.reviews,
        ]),
      );
      expect(scores.data.map((r) => r[0])).toContain('=HYPERLINK("http://evil")');
      const [agreement] = await workbook('agreement', 'nl');
      expect(agreement.sheet).toBe('AI-overeenstemming');
      expect(agreement.data).toEqual([
        ['Cursus', 'Oefening', 'Paren', 'Zelfde niveau', 'Binnen één niveau', 'Gemiddeld verschil'],
        ...listed.agreement.map((r) => [
          r.courseTitle,
          r.exerciseTitle,
          r.pairs,
          r.exact,
          r.adjacent,
          r.meanAbsoluteDifference,
        ]),
      ]);
      expect(agreement.data).toHaveLength(2);
      for (const format of ['pdf', 'XLSX', 'xlsx&format=xlsx', 'xlsx%00', '']) {
        const refused = await c.admin.get(`/api/reports/export?table=criteria&format=${format}`);
        expect([format, refused.status, refused.body.errors?.[0]?.field]).toEqual([format, 400, 'format']);
      }
      await c.admin.put(`/api/admin/groups/${id.groupG}`, { name: 'Group G' });
    }
    {
      // compares each exercise's first attempt (baseline) with the latest (final), holding back what self-assessment first holds back
      const again = await c.p1.post(`/api/my/courses/${id.course}/exercises/${TEXT_EXERCISE}/text-answers`, {
        text: 'I am sorry this happened. I will replace it today.',
      });
      expect(again.status).toBe(201);
      const draft = await c.cG.put(`/api/answers/${again.body.id}/review`, {
        scores: { [EMPATHY]: 5, [STRUCTURE]: 5 },
        summary: 'Much better',
        comments: [],
      });
      expect(
        (await c.cG.post(`/api/answers/${again.body.id}/review/publish`, { revision: draft.body.revision })).status,
      ).toBe(200);

      const own = await c.p1.get(`/api/answers/${again.body.id}/feedback`);
      expect(own.status).toBe(200);
      expect(own.body.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2]);
      expect(
        own.body.courseProgress.map((p: { exerciseId: string; attempts: number }) => [p.exerciseId, p.attempts]),
      ).toEqual([
        [TEXT_EXERCISE, 2],
        [AUDIO_EXERCISE, 1],
      ]);
      const [text, audio] = own.body.courseProgress;
      expect(text.baseline).toMatchObject({ answerId: answers.p1, attempt: 1, coachTotal: 4.33, selfTotal: 3 });
      // the trainee has not assessed the second attempt yet, so the coach's total is held back
      expect(text.final).toMatchObject({ answerId: again.body.id, attempt: 2, coachTotal: null, selfTotal: null });
      expect(audio.baseline.answerId).toBe(answers.audio);
      expect(audio.final).toEqual(audio.baseline);
      expect(audio.final.wpm).toBeGreaterThan(0);

      const coach = await c.cG.get(`/api/answers/${again.body.id}/feedback`);
      expect(coach.body.courseProgress[0].final).toMatchObject({ answerId: again.body.id, coachTotal: 5 });
      // another participant's answers never enter the comparison
      const other = await c.p2.get(`/api/answers/${answers.p2}/feedback`);
      expect(other.body.courseProgress.map((p: { baseline: { answerId: string } }) => p.baseline.answerId)).toEqual([
        answers.p2,
      ]);
    }
  });

  it('peer feedback: sharing, rotation to N peers, what peers may see and do, lapsed reviews re-assigned, the recording of a shared answer, and the course closing', async () => {
    {
      // refuses sharing someone else's answer
      expect((await c.p2.post(`/api/my/answers/${answers.p1}/share`, {})).status).toBe(404);
      expect((await c.p2.get(`/api/answers/${answers.p1}/review`)).status).toBe(404); // not shared yet
    }
    {
      // with 5 trainees and N=2, every shared answer gets 2 reviewers, nobody reviews themselves
      const before = h.mailbox.messages.length;
      for (const p of ['p1', 'p2', 'p3', 'p4', 'p5'] as const) {
        const s = await c[p].post(`/api/my/answers/${answers[p]}/share`, {});
        expect(s.status).toBe(200);
        expect(s.body.share).toMatchObject({
          groupId: id.groupG,
          groupName: 'Group G',
          reviewersAssigned: 2,
          reviewsPublished: 0,
        });
      }
      expect((await c.p1.post(`/api/my/answers/${answers.p1}/share`, {})).body.share.reviewersAssigned).toBe(2); // sharing twice changes nothing
      const rows: { answer_id: string; reviewer_id: string; owner: string }[] = await h.db.query(
        `SELECT r.answer_id, r.reviewer_id, a.user_id AS owner FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE r.source = 'peer' AND r.state = 'assigned'`,
      );
      for (const p of ['p1', 'p2', 'p3', 'p4', 'p5'] as const) {
        const mine = rows.filter((r) => r.answer_id === answers[p]);
        expect(mine).toHaveLength(2);
        expect(new Set(mine.map((r) => r.reviewer_id)).size).toBe(2);
        expect(mine.some((r) => r.reviewer_id === r.owner)).toBe(false);
      }
      // least loaded first: shares arrive one by one, so the load is spread, not always exactly even
      const loads = (['p1', 'p2', 'p3', 'p4', 'p5'] as const).map(
        (p) => rows.filter((r) => r.reviewer_id === id[p]).length,
      );
      expect(loads.reduce((a, b) => a + b, 0)).toBe(10);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2);
      await h.mailbox.waitFor('p3@a.test', /asks for your feedback/, 15_000, before);
      // p2's list holds exactly what was handed to p2: usually 2, but 1 or 3 when the members' rotation
      // order (by joining, then id) differs from the order of sharing
      const todo = await c.p2.get('/api/my/peer-reviews');
      expect(todo.body.map((t: { answerId: string }) => t.answerId).sort()).toEqual(
        rows
          .filter((r) => r.reviewer_id === id.p2)
          .map((r) => r.answer_id)
          .sort(),
      );
      expect(todo.body.length).toBeGreaterThanOrEqual(1);
      // p2's home counts them, with the first due date
      const home = await c.p2.get('/api/home');
      expect(home.body.participant.peerReviews).toEqual({
        toDo: todo.body.filter((t: { state: string }) => t.state === 'assigned' || t.state === 'draft').length,
        nextDueAt: todo.body[0].dueAt,
      });
      expect(todo.body[0]).toMatchObject({
        state: 'assigned',
        courseTitle: 'Feedback course',
        exerciseTitle: 'The angry customer',
      });
      // each named for the peer whose answer it is
      const owners: { id: string; user_id: string }[] = await h.db.query(
        `SELECT id, user_id FROM answers WHERE id = ANY($1::uuid[])`,
        [todo.body.map((t: { answerId: string }) => t.answerId)],
      );
      const nameOf: Record<string, string> = {
        [id.p1]: 'Participant a',
        [id.p3]: 'Participant 3',
        [id.p4]: 'Participant 4',
        [id.p5]: 'Participant 5',
      };
      expect(todo.body.map((t: { participantName: string }) => t.participantName)).toEqual(
        todo.body.map((t: { answerId: string }) => nameOf[owners.find((o) => o.id === t.answerId)?.user_id ?? '']),
      );
    }
    {
      // shows peers only the criteria opened to them, and keeps peers out of coach-only parts
      const [assigned]: { answer_id: string; reviewer_id: string }[] = await h.db.query(
        `SELECT answer_id, reviewer_id FROM reviews WHERE source = 'peer' AND reviewer_id = $1 LIMIT 1`,
        [id.p3],
      );
      const ctx = await c.p3.get(`/api/answers/${assigned.answer_id}/review`);
      expect(ctx.status).toBe(200);
      expect(ctx.body).toMatchObject({ role: 'peer', aiMarkers: [], aiProposed: [], otherReviews: [] });
      expect(ctx.body.criteria.map((x: { id: string }) => x.id)).toEqual([EMPATHY]);
      expect(
        (
          await c.p3.put(`/api/answers/${assigned.answer_id}/review`, {
            scores: { [STRUCTURE]: 3 },
            summary: '',
            comments: [],
          })
        ).status,
      ).toBe(400);
      const draft = await c.p3.put(`/api/answers/${assigned.answer_id}/review`, {
        scores: { [EMPATHY]: 4 },
        summary: 'Kind tone',
        comments: [{ at: 0, text: 'Nice', tag: 'empathy', aiFinding: null }],
      });
      expect(draft.status).toBe(200);
      expect(draft.body.total).toBe(4);
      expect(
        (await c.p3.post(`/api/answers/${assigned.answer_id}/review/publish`, { revision: draft.body.revision }))
          .status,
      ).toBe(200);
      expect((await c.p3.get(`/api/answers/${assigned.answer_id}/feedback`)).status).toBe(404); // peers see their own review only
    }
    {
      // re-assigns reviews that lapse to someone who has not had the answer
      const before: { id: string; answer_id: string; reviewer_id: string; state: string }[] = await h.db.query(
        `SELECT id, answer_id, reviewer_id, state FROM reviews WHERE source = 'peer'`,
      );
      // half a day before they are due (3 days), each open review's reviewer is reminded by e-mail, once
      h.clock.advance(2.5 * DAY);
      try {
        const mailsBefore = h.mailbox.messages.length;
        const open = before.filter((r) => r.state === 'assigned' || r.state === 'draft');
        expect(open.length).toBeGreaterThan(0);
        expect(await h.app.get(PeerRotation).remindDueSoon()).toBe(open.length);
        const [reviewer]: { email: string }[] = await h.db.query(`SELECT email FROM users WHERE id = $1`, [
          open[0].reviewer_id,
        ]);
        const mail = await h.mailbox.waitFor(
          reviewer.email,
          /^Reminder: your feedback for a colleague is due on /,
          15_000,
          mailsBefore,
        );
        expect(mail.text).toContain(`/review/${open[0].answer_id}`);
        expect(await h.app.get(PeerRotation).remindDueSoon()).toBe(0);
      } finally {
        h.clock.advance(-2.5 * DAY);
      }
      h.clock.advance(4 * DAY);
      try {
        const result = await h.app.get(PeerRotation).sweepLapsed();
        const open = before.filter((r) => r.state === 'assigned');
        expect(result.lapsed).toBe(open.length);
        const after: { answer_id: string; reviewer_id: string; state: string; owner: string }[] = await h.db.query(
          `SELECT r.answer_id, r.reviewer_id, r.state, a.user_id AS owner FROM reviews r JOIN answers a ON a.id = r.answer_id WHERE r.source = 'peer'`,
        );
        for (const p of ['p1', 'p2', 'p3', 'p4', 'p5'] as const) {
          const mine = after.filter((r) => r.answer_id === answers[p]);
          const live = mine.filter((r) => r.state !== 'lapsed');
          const lapsedBy = new Set(mine.filter((r) => r.state === 'lapsed').map((r) => r.reviewer_id));
          expect(live.some((r) => r.reviewer_id === r.owner)).toBe(false);
          expect(live.some((r) => lapsedBy.has(r.reviewer_id))).toBe(false);
          // four possible peers less the two who let it lapse or published leaves exactly enough: 2 live reviews each
          expect(live).toHaveLength(2);
        }
        expect(result.reassigned).toBe(after.filter((r) => r.state === 'assigned').length);
        expect((await h.app.get(PeerRotation).sweepLapsed()).lapsed).toBe(0);
      } finally {
        h.clock.advance(-4 * DAY);
      }
    }
    {
      // lets the assigned peers play it and read its transcript (logged), and nobody outside the group
      const rec = (await c.p1.get(`/api/answers/${answers.audio}/feedback`)).body.answer.recording.id;
      for (const p of ['p2', 'p3', 'p4', 'p5', 'pH'] as const)
        expect((await c[p].get(`/api/recordings/${rec}/transcript`)).status).toBe(404);
      // an answer not shared with the group is no peer's to review
      expect((await c.p3.get(`/api/answers/${answers.audio}/review`)).status).toBe(404);
      const shared = await c.p1.post(`/api/my/answers/${answers.audio}/share`, {});
      expect(shared.status).toBe(200);
      const [peer]: { reviewer_id: string }[] = await h.db.query(
        `SELECT reviewer_id FROM reviews WHERE answer_id = $1 AND source = 'peer' LIMIT 1`,
        [answers.audio],
      );
      const who = (['p2', 'p3', 'p4', 'p5'] as const).find((p) => id[p] === peer.reviewer_id)!;
      const before = await logRows(id.p1, 'transcript', 'view');
      expect((await c[who].get(`/api/recordings/${rec}/transcript`)).status).toBe(200);
      expect((await c[who].get(`/api/recordings/${rec}/content`)).status).toBe(200);
      expect(await logRows(id.p1, 'transcript', 'view')).toBe(before + 1);
      expect((await c.pH.get(`/api/recordings/${rec}/transcript`)).status).toBe(404);
      expect((await c.participantB.get(`/api/recordings/${rec}/transcript`)).status).toBe(404);
      const ctx = await c[who].get(`/api/answers/${answers.audio}/review`);
      expect(ctx.body).toMatchObject({ role: 'peer', aiMarkers: [], aiProposed: [] });
    }
    {
      // keeps peers out of the group's answers once the course closes
      const [assigned]: { answer_id: string }[] = await h.db.query(
        `SELECT answer_id FROM reviews WHERE source = 'peer' AND reviewer_id = $1 AND state <> 'lapsed' LIMIT 1`,
        [id.p4],
      );
      expect((await c.p4.get(`/api/answers/${assigned.answer_id}/review`)).status).toBe(200);
      await h.db.query(`UPDATE enrolments SET due_on = $2 WHERE group_id = $1`, [id.groupG, '2020-01-01']);
      try {
        expect((await c.p4.get(`/api/answers/${assigned.answer_id}/review`)).status).toBe(404);
      } finally {
        await h.db.query(`UPDATE enrolments SET due_on = '2027-01-31' WHERE group_id = $1`, [id.groupG]);
      }
    }
  });

  describe('tenant settings', () => {
    it('lets administrators edit marker tags and filler lists, and checks them', async () => {
      // the tenant's settings as they were, put back at the end: the other stories use the default tags
      const saved = (await c.admin.get('/api/admin/feedback-settings')).body as {
        markerTags: string[];
        fillers: object;
      };
      try {
        const bad = await c.admin.put('/api/admin/feedback-settings', {
          markerTags: ['ok', 'OK', ' '],
          fillers: { xx: ['um'], nl: ['', 'eh'] },
        });
        expect(bad.status).toBe(400);
        expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
          'fillers.nl.0',
          'fillers.xx',
          'markerTags.1',
          'markerTags.2',
        ]);
        const ok = await c.admin.put('/api/admin/feedback-settings', {
          markerTags: ['good opening', 'interrupts', 'calm voice'],
          fillers: { nl: ['Eh', 'ehm', 'nou', 'Zeg  maar'] },
        });
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({
          markerTags: ['good opening', 'interrupts', 'calm voice'],
          fillers: { nl: ['eh', 'ehm', 'nou', 'zeg maar'] },
        });
        expect((await c.adminB.get('/api/admin/feedback-settings')).body.fillers).toEqual({});
        expect((await c.cH.get(`/api/answers/${answers.pH}/review`)).body.markerTags).toEqual([
          'good opening',
          'interrupts',
          'calm voice',
        ]);
        expect(
          (
            await c.cH.put(`/api/answers/${answers.pH}/review`, {
              scores: {},
              summary: '',
              comments: [{ at: 0, text: 'x', tag: 'empathy', aiFinding: null }],
            })
          ).status,
        ).toBe(400);
        expect(
          (
            await c.cH.put(`/api/answers/${answers.pH}/review`, {
              scores: {},
              summary: '',
              comments: [{ at: 0, text: 'x', tag: 'calm voice', aiFinding: null }],
            })
          ).status,
        ).toBe(200);
      } finally {
        expect((await c.admin.put('/api/admin/feedback-settings', saved)).status).toBe(200);
      }
    });
  });

  describe('access', () => {
    type Who = 'cH' | 'pH' | 'coachB' | 'participantB' | 'adminB';
    type Route = [string, 'get' | 'put' | 'post', (a: typeof answers) => string, unknown, Record<Who, number>];
    // cH: coach of another group; pH: a participant outside the group it is shared with; B: another tenant (403 where the role lacks the permission)
    const routes: Route[] = [
      [
        'review screen',
        'get',
        (a) => `/api/answers/${a.p1}/review`,
        undefined,
        { cH: 404, pH: 404, coachB: 404, participantB: 404, adminB: 403 },
      ],
      [
        'save a review',
        'put',
        (a) => `/api/answers/${a.p1}/review`,
        { scores: {}, summary: '', comments: [] },
        { cH: 404, pH: 404, coachB: 404, participantB: 404, adminB: 403 },
      ],
      [
        'publish a review',
        'post',
        (a) => `/api/answers/${a.p1}/review/publish`,
        { revision: 1 },
        { cH: 404, pH: 404, coachB: 404, participantB: 404, adminB: 403 },
      ],
      [
        'feedback',
        'get',
        (a) => `/api/answers/${a.p1}/feedback`,
        undefined,
        { cH: 404, pH: 404, coachB: 404, participantB: 404, adminB: 404 },
      ],
      [
        'share',
        'post',
        (a) => `/api/my/answers/${a.p1}/share`,
        {},
        { cH: 403, pH: 404, coachB: 403, participantB: 404, adminB: 403 },
      ],
    ];
    it.each(routes)('%s of p1’s shared answer', async (_label, method, path, body, expected) => {
      for (const who of Object.keys(expected) as Who[]) {
        const res = method === 'get' ? await c[who].get(path(answers)) : await c[who].send(method, path(answers), body);
        expect({ who, status: res.status }).toEqual({ who, status: expected[who] });
      }
    });
  });
});
