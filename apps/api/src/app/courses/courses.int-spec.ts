import { randomUUID } from 'node:crypto';
import { MIGRATIONS } from '@rehearse/migrations';
import { renderMarkdown } from '@rehearse/server/courses';
import { Client, Harness, seedTwoTenants, startHarness } from '../../test/harness';
import { AUDIO_EXERCISE, exerciseBody, publishedCourse } from '../../test/courses';

/** A PNG's signature and header saying 50,000 × 50,000 pixels (RGBA), and nothing more: what image-size reads. */
function hugePng(): Buffer {
  const png = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
  png.writeUInt32BE(13, 8);
  png.write('IHDR', 12, 'latin1');
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  png[24] = 8;
  png[25] = 6;
  return png;
}

describe('courses: versions, export and import, groups', () => {
  let h: Harness;
  let world: Awaited<ReturnType<typeof seedTwoTenants>>;
  let devA: Client;
  let devB: Client;
  let adminA: Client;

  beforeAll(async () => {
    h = await startHarness();
    world = await seedTwoTenants(h);
    devA = await h.signIn(world.a.emails.developer);
    devB = await h.signIn(world.b.emails.developer);
    adminA = await h.signIn(world.a.emails.admin);
  });
  afterAll(() => h.close());

  async function enrolUser(courseId: string, userId: string) {
    const res = await adminA.post('/api/admin/enrolments', { courseId, userId });
    expect(res.status).toBe(201);
  }

  it('freezes a version: an answer keeps the exercise text and rubric it answered after the course is edited', async () => {
    const course = await publishedCourse(devA);
    await enrolUser(course.id, world.a.ids.participant);
    const trainee = await h.signIn(world.a.emails.participant);
    const answered = await trainee.post(`/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`, {
      text: 'I am sorry to hear that.',
    });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ courseVersion: 1, attempt: 1 });

    // the author edits the rubric in the library and the exercise in a new draft, then publishes v2
    const rubric = await devA.get(`/api/authoring/rubrics/${course.rubric}`);
    const changedRubric = await devA.put(`/api/authoring/rubrics/${course.rubric}`, {
      revision: rubric.body.revision,
      title: 'Conversation rubric v2',
      description: 'Changed',
      criteria: [{ ...rubric.body.criteria[0], title: 'Empathy and clarity' }],
    });
    expect(changedRubric.status).toBe(200);
    const draft = await devA.post(`/api/authoring/courses/${course.id}/draft`);
    expect(draft.body.draft.version).toBe(2);
    const content = draft.body.draft.content;
    content.modules[0].exercises[0].instructions = 'New instructions: **summarise** first.';
    content.modules[0].exercises[0].title = 'The very angry customer';
    const saved = await devA.put(`/api/authoring/courses/${course.id}/draft`, {
      revision: draft.body.draft.revision,
      content,
    });
    expect(saved.status).toBe(200);
    expect(
      (await devA.post(`/api/authoring/courses/${course.id}/publish`, { changeSummary: 'Clearer instructions' }))
        .status,
    ).toBe(200);

    // the trainee's course shows v2 ...
    const now = await trainee.get(`/api/my/courses/${course.id}`);
    expect(now.body.version).toBe(2);
    expect(now.body.modules[0].exercises[0].title).toBe('The very angry customer');
    expect(now.body.modules[0].exercises[0].rubric.title).toBe('Conversation rubric v2');
    // ... but the answer still shows exactly what was answered
    const answers = await trainee.get(`/api/my/courses/${course.id}/answers`);
    expect(answers.body).toHaveLength(1);
    expect(answers.body[0]).toMatchObject({
      courseVersion: 1,
      exerciseTitle: 'The angry customer',
      text: 'I am sorry to hear that.',
    });
    expect(answers.body[0].exercise.instructionsHtml).toBe(
      '<p>Listen, then <strong>acknowledge</strong> the problem.</p>\n',
    );
    expect(answers.body[0].exercise.rubric.title).toBe('Conversation rubric');
    expect(answers.body[0].exercise.rubric.criteria[0].title).toBe('Empathy');
    // the versions are listed with their change summaries, and a published version cannot change in the database
    const detail = await devA.get(`/api/authoring/courses/${course.id}`);
    expect(detail.body.versions.map((v: { version: number; state: string }) => `${v.version}:${v.state}`)).toEqual([
      '2:published',
      '1:superseded',
    ]);
    await expect(
      h.db.query(`UPDATE course_versions SET content = '{}' WHERE course_id = $1 AND version = 1`, [course.id]),
    ).rejects.toThrow(/frozen/);
  });

  it('limits attempts per exercise and counts the exercise as answered; a submission sent again takes none', async () => {
    const course = await publishedCourse(devA);
    await enrolUser(course.id, world.a.ids.participant2);
    const trainee = await h.signIn(world.a.emails.participant2);
    const path = `/api/my/courses/${course.id}/exercises/${course.exercise}/text-answers`;
    const submissionId = randomUUID();
    const first = await trainee.post(path, { text: 'try 1', submissionId });
    expect([first.status, first.body.attempt]).toEqual([201, 1]);
    // its answer lost on the way, sent again (twice at once, too): the same answer, no attempt taken
    const again = await Promise.all([1, 2].map(() => trainee.post(path, { text: 'try 1', submissionId })));
    expect(again.map((r) => [r.status, r.body.id, r.body.attempt])).toEqual([
      [201, first.body.id, 1],
      [201, first.body.id, 1],
    ]);
    for (let i = 2; i <= 3; i++) expect((await trainee.post(path, { text: `try ${i}` })).status).toBe(201);
    const fourth = await trainee.post(path, { text: 'again' });
    expect(fourth.status).toBe(409);
    expect(fourth.body.message).toMatch(/All 3 attempts/);
    // still the same answer once every attempt is used; for another exercise a 409; not a UUID a 400
    expect((await trainee.post(path, { text: 'try 1', submissionId })).body.id).toBe(first.body.id);
    const elsewhere = await trainee.post(`/api/my/courses/${course.id}/exercises/${AUDIO_EXERCISE}/text-answers`, {
      text: 'try 1',
      submissionId,
    });
    expect([elsewhere.status, elsewhere.body.message]).toEqual([
      409,
      'This submission was already made for another exercise',
    ]);
    expect((await trainee.post(path, { text: 'try 1', submissionId: 'not-a-uuid' })).status).toBe(400);
    // another person's submission id is theirs alone
    const other = await h.signIn(world.a.emails.participant);
    await enrolUser(course.id, world.a.ids.participant);
    const theirs = await other.post(path, { text: 'mine', submissionId });
    expect([theirs.status, theirs.body.attempt]).toEqual([201, 1]);
    expect(theirs.body.id).not.toBe(first.body.id);
    const list = await trainee.get('/api/my/courses');
    expect(list.body.find((c: { id: string }) => c.id === course.id)).toMatchObject({
      exercisesTotal: 1,
      exercisesAnswered: 1,
    });
  });

  it('answers 409 to a stale draft save, and refuses to publish an empty course', async () => {
    const created = await devA.post('/api/authoring/courses', { title: 'Empty', language: 'nl' });
    const content = { title: 'Empty', description: '', language: 'nl', modules: [] };
    expect((await devA.put(`/api/authoring/courses/${created.body.id}/draft`, { revision: 1, content })).status).toBe(
      200,
    );
    const stale = await devA.put(`/api/authoring/courses/${created.body.id}/draft`, { revision: 1, content });
    expect(stale.status).toBe(409);
    const publish = await devA.post(`/api/authoring/courses/${created.body.id}/publish`, {
      changeSummary: 'Nothing yet',
    });
    expect(publish.status).toBe(400);
    expect(publish.body.errors[0].messages[0]).toMatch(/at least one exercise/);
  });

  it('refuses duplicate ids and unknown rubrics in a draft', async () => {
    const created = await devA.post('/api/authoring/courses', { title: 'Dupes', language: 'en' });
    const id = randomUUID();
    const res = await devA.put(`/api/authoring/courses/${created.body.id}/draft`, {
      revision: 1,
      content: {
        title: 'Dupes',
        description: '',
        language: 'en',
        modules: [
          { id: randomUUID(), title: 'M', exercises: [exerciseBody(id, null), exerciseBody(id, randomUUID())] },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'content.modules.0.exercises.1.id',
      'content.modules.0.exercises.1.rubricId',
    ]);
  });

  it('exports a course and imports it into another tenant as an equal course', async () => {
    const course = await publishedCourse(devA);
    await devA.put(`/api/authoring/courses/${course.id}/cover`, {
      dataUrl:
        'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    });
    // a cover a browser could not draw: refused, the one set before kept
    const bomb = await devA.put(`/api/authoring/courses/${course.id}/cover`, {
      dataUrl: `data:image/png;base64,${hugePng().toString('base64')}`,
    });
    expect(bomb.status).toBe(400);
    expect(bomb.body.errors).toEqual([
      { field: 'dataUrl', messages: ['is 50000 × 50000 pixels; a cover may be at most 4096 pixels on each side'] },
    ]);
    const exported = await devA.get(`/api/authoring/courses/${course.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="Service basics\.rehearse\.json"/);
    const file = exported.body;
    expect(file).toMatchObject({
      format: 'rehearse.course',
      formatVersion: 1,
      rubrics: [expect.objectContaining({ title: 'Conversation rubric' })],
      cover: { type: 'image/png' },
    });
    const imported = await devB.post('/api/authoring/courses/import', file);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ title: 'Service basics', status: 'draft', hasCover: true });
    const back = imported.body.draft.content;
    const original = file.course;
    const newRubric = back.modules[0].exercises[0].rubricId;
    expect(newRubric).not.toBe(original.modules[0].exercises[0].rubricId);
    expect({
      ...back,
      modules: back.modules.map((m: { exercises: object[] }) => ({
        ...m,
        exercises: m.exercises.map((e) => ({ ...e, rubricId: 'x' })),
      })),
    }).toEqual({
      ...original,
      modules: original.modules.map((m: { exercises: object[] }) => ({
        ...m,
        exercises: m.exercises.map((e) => ({ ...e, rubricId: 'x' })),
      })),
    });
    const rubric = await devB.get(`/api/authoring/rubrics/${newRubric}`);
    expect(rubric.body).toMatchObject({ title: 'Conversation rubric', criteria: file.rubrics[0].criteria });
    // tenant A's course is untouched and invisible to B
    expect((await devB.get(`/api/authoring/courses/${course.id}`)).status).toBe(404);
  });

  describe('a hostile or corrupt import file is refused with a report, and nothing is created', () => {
    let file: Record<string, unknown>;
    const counts = async () =>
      (
        await h.db.query(`SELECT (SELECT count(*) FROM courses)::int AS c, (SELECT count(*) FROM rubrics)::int AS r`)
      )[0];

    beforeAll(async () => {
      const course = await publishedCourse(devA);
      file = (await devA.get(`/api/authoring/courses/${course.id}/export`)).body;
    });

    // a copy of the exported file, changed into what its type forbids: wrong types, unknown fields
    type Changed = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const mutate = (fn: (f: Changed) => void) => {
      const copy = JSON.parse(JSON.stringify(file));
      fn(copy);
      return copy;
    };

    it.each([
      ['a wrong format', (f: Changed) => (f.format = 'zip'), 'format'],
      [
        'wrong types',
        (f: Changed) => (f.course.modules[0].exercises[0].attemptsAllowed = 'many'),
        'course.modules.0.exercises.0.attemptsAllowed',
      ],
      ['unknown fields', (f: Changed) => (f.course.modules[0].tenantId = 'x'), 'course.modules.0.tenantId'],
      [
        'a huge string',
        (f: Changed) => (f.course.modules[0].exercises[0].title = 'x'.repeat(100_000)),
        'course.modules.0.exercises.0.title',
      ],
      [
        'script in Markdown',
        (f: Changed) => (f.course.modules[0].exercises[0].instructions = 'Hello <script>alert(1)</script>'),
        'course.modules.0.exercises.0.instructions',
      ],
      [
        'an event handler in Markdown',
        (f: Changed) => (f.course.description = '<img src=x onerror=alert(1)>'),
        'course.description',
      ],
      [
        'a javascript: link',
        (f: Changed) => (f.rubrics[0].criteria[0].description = '[click](javascript:alert(1))'),
        'rubrics.0.criteria.0.description',
      ],
      [
        'a rubric reference to nothing',
        (f: Changed) => (f.course.modules[0].exercises[0].rubricId = '11111111-1111-4111-8111-111111111111'),
        'course.modules.0.exercises.0.rubricId',
      ],
      [
        'a cover that is not an image',
        (f: Changed) =>
          (f.cover = { type: 'image/png', base64: Buffer.from('<html><script>x</script></html>').toString('base64') }),
        'cover',
      ],
      [
        'a cover of 50,000 × 50,000 pixels in a few bytes (a browser would decode ten gigabytes)',
        (f: Changed) => (f.cover = { type: 'image/png', base64: hugePng().toString('base64') }),
        'cover',
      ],
      [
        'too many modules',
        (f: Changed) =>
          (f.course.modules = Array.from({ length: 51 }, () => ({ ...f.course.modules[0], id: randomUUID() }))),
        'course.modules',
      ],
    ])('refuses %s', async (_label, fn, field) => {
      const before = await counts();
      const res = await devB.post('/api/authoring/courses/import', mutate(fn));
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('reports every problem of a file at once', async () => {
      const res = await devB.post(
        '/api/authoring/courses/import',
        mutate((f) => {
          f.course.title = '';
          f.course.modules[0].exercises[0].answerType = 'hologram';
          f.rubrics[0].criteria[0].weight = -1;
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'course.modules.0.exercises.0.answerType',
        'course.title',
        'rubrics.0.criteria.0.weight',
      ]);
    });
  });

  it('titles stored before the one-line rule are made one line where they can still change, and the draft saves again', async () => {
    const Migration = MIGRATIONS.find((m) => m.name === 'TitlesOnOneLine1765110000000');
    if (!Migration) throw new Error('the migration TitlesOnOneLine1765110000000 is not in MIGRATIONS');
    const course = await publishedCourse(devA);
    const started = await devA.post(`/api/authoring/courses/${course.id}/draft`);
    expect(started.status).toBe(200);
    const draftId = started.body.draft.versionId as string;
    // what the API refuses today, written as an older version stored it
    const content = structuredClone(started.body.draft.content);
    content.title = 'Refunds\u202Egpj.exe';
    content.description = 'Two lines\nof description stay two lines.';
    content.modules[0].title = 'Module\tone';
    content.modules[0].exercises[0].title = '\u202E\u0007';
    content.modules[0].exercises[0].instructions = 'Read this:\n\n- first\n- second';
    await h.db.query(`UPDATE course_versions SET content = $2::jsonb WHERE id = $1`, [
      draftId,
      JSON.stringify(content),
    ]);
    await h.db.query(`UPDATE courses SET title = $2 WHERE id = $1`, [course.id, content.title]);
    const rubric = (await devA.get(`/api/authoring/rubrics/${course.rubric}`)).body;
    const criteria = rubric.criteria.map((c: { title: string }, i: number) =>
      i === 0 ? { ...c, title: 'Empathy\r\nfirst' } : c,
    );
    await h.db.query(`UPDATE rubrics SET title = $2, criteria = $3::jsonb WHERE id = $1`, [
      course.rubric,
      'Conversation\u2066 rubric',
      JSON.stringify(criteria),
    ]);
    const published = (
      await h.db.query(`SELECT content FROM course_versions WHERE course_id = $1 AND state = 'published'`, [course.id])
    )[0].content;

    const runner = h.db.createQueryRunner();
    try {
      await new Migration().up(runner);
    } finally {
      await runner.release();
    }

    const got = (await devA.get(`/api/authoring/courses/${course.id}`)).body;
    expect(got.draft.revision).toBe(started.body.draft.revision + 1);
    expect(got.draft.content.title).toBe('Refundsgpj.exe');
    expect(got.draft.content.description).toBe(content.description);
    expect(got.draft.content.modules[0].title).toBe('Module one');
    // a title that would be left empty stays for its author to rename
    expect(got.draft.content.modules[0].exercises[0].title).toBe('\u202E\u0007');
    expect(got.draft.content.modules[0].exercises[0].instructions).toBe(content.modules[0].exercises[0].instructions);
    expect((await h.db.query(`SELECT title FROM courses WHERE id = $1`, [course.id]))[0].title).toBe('Refundsgpj.exe');
    const cleanedRubric = (await devA.get(`/api/authoring/rubrics/${course.rubric}`)).body;
    expect(cleanedRubric).toMatchObject({ title: 'Conversation rubric', revision: rubric.revision + 1 });
    expect(cleanedRubric.criteria.map((c: { title: string }) => c.title)).toEqual([
      'Empathy first',
      ...rubric.criteria.slice(1).map((c: { title: string }) => c.title),
    ]);
    // the published version is frozen: untouched
    expect(
      (
        await h.db.query(`SELECT content FROM course_versions WHERE course_id = $1 AND state = 'published'`, [
          course.id,
        ])
      )[0].content,
    ).toEqual(published);
    // the author names the exercise and saves: nothing else stands in the way
    got.draft.content.modules[0].exercises[0].title = 'Handle the refund';
    const saved = await devA.put(`/api/authoring/courses/${course.id}/draft`, {
      revision: got.draft.revision,
      content: got.draft.content,
    });
    expect(saved.status).toBe(200);
    // run again: nothing left to change, no revision spent
    const again = h.db.createQueryRunner();
    try {
      await new Migration().up(again);
    } finally {
      await again.release();
    }
    expect((await devA.get(`/api/authoring/courses/${course.id}`)).body.draft.revision).toBe(saved.body.draft.revision);
  });

  it('renders stored Markdown without script, whatever got into the database', async () => {
    const course = await publishedCourse(devA);
    // bypass the validation: write hostile Markdown straight into a draft, then preview it
    await devA.post(`/api/authoring/courses/${course.id}/draft`);
    await h.db.query(
      `UPDATE course_versions SET content = jsonb_set(content, '{modules,0,exercises,0,instructions}', to_jsonb($2::text)) WHERE course_id = $1 AND state = 'draft'`,
      [
        course.id,
        'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> [a](javascript:alert(3)) <iframe src="https://evil.example"></iframe> **ok**',
      ],
    );
    const preview = await devA.get(`/api/authoring/courses/${course.id}/preview`);
    const html: string = preview.body.modules[0].exercises[0].instructionsHtml;
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe|<img/i);
    expect(html).toContain('<strong>ok</strong>');
    expect(renderMarkdown('[site](https://example.org)')).toBe(
      '<p><a href="https://example.org" rel="noopener noreferrer" target="_blank">site</a></p>\n',
    );
  });
});
