/**
 * TranscriptSearchRepository on real PostgreSQL (the medium tier): what a coach and an
 * administrator find, and that a coach's two ways of finding the matching passages (walking their
 * people's answers, or starting from the full-text index) give the same page in every case: a
 * rare word, a common one past the candidate limit, and an index holding more matches than it
 * reads.
 */
import { openMediumDatabase, type CourseRow, type MediumDatabase, type Rows } from '@rehearse/server/database';
import { SEARCH_CANDIDATES, SEARCH_INDEX_MATCHES } from './recordings.common';
import { TranscriptSearchRepository, type Searcher } from './transcript-search.repository';

const TODAY = '2026-12-01';

describe('TranscriptSearchRepository (medium tier)', () => {
  let m: MediumDatabase;
  let rows: Rows;
  let search: TranscriptSearchRepository;
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    m = await openMediumDatabase();
    rows = m.rows;
    search = new TranscriptSearchRepository(m.db);
    w = await world();
  });
  afterAll(() => m?.close());

  /** An answer of `owner` with a transcript of these passages, submitted `daysAgo`. */
  async function spoken(tenant: string, owner: string, course: CourseRow, passages: string[], daysAgo: number) {
    const at = new Date(Date.parse(`${TODAY}T12:00:00Z`) - daysAgo * 86_400_000);
    const answer = await rows.answer(tenant, owner, course, { attempt: 1 + daysAgo, submittedAt: at });
    const recording = await rows.recording(tenant, answer);
    await m.db.query(`UPDATE recordings SET created_at = $2 WHERE id = $1`, [recording, at]);
    const [{ id: transcript }] = await m.db.query(
      `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, no_speech, audio_seconds, processing_ms)
       VALUES ($1, $2, 'whisper.cpp', 'tiny.en', 'en', $3, false, 60, 900) RETURNING id`,
      [tenant, recording, passages.join(' ')],
    );
    await m.db.query(
      `INSERT INTO transcript_segments (tenant_id, transcript_id, idx, start_s, end_s, text)
       SELECT $1, $2, p.idx - 1, (p.idx - 1) * 5, (p.idx - 1) * 5 + 4.5, p.text FROM unnest($3::text[]) WITH ORDINALITY p(text, idx)`,
      [tenant, transcript, passages],
    );
    return { answer, recording, transcript };
  }

  async function world() {
    const tenant = await rows.tenant();
    const coach = await rows.user(tenant, { roles: ['coach'] });
    const admin = await rows.user(tenant, { roles: ['administrator'] });
    const [p1, p2, expired, stranger] = [
      await rows.user(tenant),
      await rows.user(tenant),
      await rows.user(tenant),
      await rows.user(tenant),
    ];
    const course = await rows.course(tenant);
    const coached = await rows.group(tenant);
    const other = await rows.group(tenant);
    await rows.member(tenant, coached, coach, 'coach');
    for (const p of [p1, p2, expired]) await rows.member(tenant, coached, p);
    await rows.member(tenant, other, stranger);
    await rows.enrolment(tenant, course.id, { groupId: coached });
    await rows.enrolment(tenant, course.id, { groupId: other });
    await rows.licence(tenant, expired, '2026-11-01');

    const mine = [
      await spoken(tenant, p1, course, ['where is my order', 'I want a refund for the zeppelin'], 1),
      await spoken(tenant, p2, course, ['the zeppelin order came late', 'order order order'], 2),
      // a pause split "the" from "gearbox": the short passage is shown with its neighbours
      await spoken(tenant, p2, course, ['Hi, yes, so, erm, the', 'gearbox...', 'I do not really know where it is'], 4),
      // more matching passages than are ranked: both ways take the newest SEARCH_CANDIDATES
      await spoken(
        tenant,
        p1,
        course,
        Array.from({ length: SEARCH_CANDIDATES + 100 }, (_, i) => `order number ${i}`),
        3,
      ),
    ];
    // hidden from the coach: another group's participant, an expired licence, another organisation
    await spoken(tenant, stranger, course, ['the zeppelin order from a stranger'], 1);
    await spoken(tenant, expired, course, ['an expired zeppelin order'], 1);
    const elsewhere = await rows.tenant();
    const outsider = await rows.user(elsewhere);
    await spoken(elsewhere, outsider, await rows.course(elsewhere), ['a zeppelin order elsewhere'], 1);
    await m.db.query(`ANALYZE transcript_segments`);
    return { tenant, coach, admin, p1, p2, expired, stranger, course, mine };
  }

  const asCoach = (): Searcher => ({ userId: w.coach, coach: true, admin: false });
  const query = async (tsq: string, who: Searcher, start: 'walk' | 'index', offset = 0, limit = 20) =>
    search.search(w.tenant, tsq, who, TODAY, { limit, offset }, m.db, start);

  it("finds a rare word in the coach's people's answers only, the same from the index as by walking", async () => {
    const walked = await query(`'zeppelin'`, asCoach(), 'walk');
    expect(await query(`'zeppelin'`, asCoach(), 'index')).toEqual(walked);
    expect(walked.map((h) => h.owner_id).sort()).toEqual([w.p1, w.p2].sort());
    expect(walked.map((h) => h.snippet)).toEqual(
      // whole passages, short words at their ends included
      expect.arrayContaining(['I want a refund for the «zeppelin»', 'the «zeppelin» order came late']),
    );
    expect(walked[0]).toMatchObject({ total: 2, candidates: 2, engine: 'whisper.cpp', course_id: w.course.id });
    expect(await query(`'zeppelin' <-> 'order'`, asCoach(), 'index')).toEqual(
      await query(`'zeppelin' <-> 'order'`, asCoach(), 'walk'),
    );
    expect(await query(`'nowhere'`, asCoach(), 'index')).toEqual([]);
  });

  it('shows a passage of a few words with the passages around it, a longer one alone', async () => {
    const [short] = await query(`'gearbox'`, asCoach(), 'walk');
    expect(short.snippet).toBe('Hi, yes, so, erm, the «gearbox»... I do not really know where it is');
    expect(short.start_s).toBeGreaterThan(0);
    const long = await query(`'refund'`, asCoach(), 'walk');
    expect(long.map((h) => h.snippet)).toEqual(['I want a «refund» for the zeppelin']);
  });

  it('ranks the newest SEARCH_CANDIDATES passages of a common word, the same pages both ways', async () => {
    for (const offset of [0, 20, SEARCH_CANDIDATES - 20]) {
      const walked = await query(`'order'`, asCoach(), 'walk', offset);
      expect(walked).toHaveLength(20);
      expect(await query(`'order'`, asCoach(), 'index', offset)).toEqual(walked);
      expect(walked[0]).toMatchObject({ total: SEARCH_CANDIDATES, candidates: SEARCH_CANDIDATES });
      expect(new Set(walked.map((h) => h.owner_id))).not.toContain(w.stranger);
      expect(new Set(walked.map((h) => h.owner_id))).not.toContain(w.expired);
    }
    // the two newest answers are all in, with the best-ranked passage ('order order order') first
    const first = await query(`'order'`, asCoach(), 'walk', 0, 1);
    expect(first[0].snippet).toContain('«order» «order» «order»');
  });

  it('walks after all when the index holds more matches than it reads (an estimate far off)', async () => {
    // someone the coach does not see says 'zeppelin' more often than the index path reads
    const stranger = await m.db.query(
      `SELECT t.id FROM transcripts t JOIN recordings r ON r.id = t.recording_id WHERE r.owner_id = $1`,
      [w.stranger],
    );
    await m.db.query(
      `INSERT INTO transcript_segments (tenant_id, transcript_id, idx, start_s, end_s, text)
       SELECT $1, $2, 1000 + g, g, g + 1, 'zeppelin again' FROM generate_series(1, $3) g`,
      [w.tenant, stranger[0].id, SEARCH_INDEX_MATCHES + 1],
    );
    try {
      const walked = await query(`'zeppelin'`, asCoach(), 'walk');
      expect(walked.map((h) => h.owner_id).sort()).toEqual([w.p1, w.p2].sort());
      expect(await query(`'zeppelin'`, asCoach(), 'index')).toEqual(walked);
    } finally {
      await m.db.query(`DELETE FROM transcript_segments WHERE transcript_id = $1 AND idx >= 1000`, [stranger[0].id]);
    }
  });

  it("an administrator searches the organisation's shown answers; the words' estimate is a number of passages", async () => {
    const admin = await query(`'zeppelin'`, { userId: w.admin, coach: false, admin: true }, 'walk');
    expect(admin.map((h) => h.owner_id).sort()).toEqual([w.p1, w.p2, w.stranger].sort());
    // (PostgreSQL's statistics decide the number; the query-plan test sees a rare word take the index)
    const words = await search.words(w.tenant, 'Order!', true);
    expect(words.tsq).toBe(`'order'`);
    expect(Number.isInteger(words.estimate)).toBe(true);
    // the estimate of the statement planned with the word as a parameter, as the application had it
    const [plan] = await m.db.query(
      `EXPLAIN (FORMAT JSON) SELECT 1 FROM transcript_segments s WHERE s.tenant_id = $1 AND s.tsv @@ $2::tsquery`,
      [w.tenant, `'order'`],
    );
    expect(words.estimate).toBe(plan['QUERY PLAN'][0].Plan['Plan Rows']);
    // no estimate for an administrator's search or an empty query; quotes in the words are words
    expect(await search.words(w.tenant, 'order', false)).toEqual({ tsq: `'order'`, estimate: null });
    expect(await search.words(w.tenant, '?! ;', true)).toEqual({ tsq: '', estimate: null });
    const quoted = await search.words(w.tenant, `o'rder"; DROP TABLE x; --`, true);
    expect(quoted.tsq).toContain(`'drop'`);
    expect(Number.isFinite(quoted.estimate)).toBe(true);
  });
});
