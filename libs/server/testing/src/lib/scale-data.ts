import bcrypt from 'bcrypt';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DEMO_RUBRIC, demoCourse } from './demo-course';

/** How big the generated organisation is. */
export interface ScaleSizes {
  participants: number;
  coaches: number;
  groups: number;
  courses: number;
  answers: number;
  reviews: number;
  privacyLog: number;
  /** words per transcript (stored as its text and ~30-word searchable segments) */
  transcriptWords: number;
  /** recordings that also get their word-by-word rows (the transcript page reads them) */
  wordRows: number;
  /** administrators, and content developers */
  staff: number;
  /** the operator's support staff's impersonations of the organisation's people, over two years */
  impersonations: number;
  /** the operator's other client organisations (empty: they make the organisations' list long) */
  organisations: number;
  /** reports of organisations destroyed at the end of their agreements, each with `reportObjects` objects */
  destructionReports: number;
  reportObjects: number;
}

/** The organisation the issue measured: 10,000 people, 100,000 answers, 1,000,000 privacy-log rows. */
export const LARGE: ScaleSizes = {
  participants: 9_795,
  coaches: 200,
  groups: 50,
  courses: 20,
  answers: 100_000,
  reviews: 50_000,
  privacyLog: 1_000_000,
  transcriptWords: 300,
  wordRows: 2_000,
  staff: 20,
  // an operator serving 50,000 people, a few dozen support cases a day that need acting as someone
  impersonations: 20_000,
  // an operator serving 50,000 people in 500 organisations, with 100 destroyed over the years
  organisations: 500,
  destructionReports: 100,
  reportObjects: 5_000,
};
/** The demo's size: a handful of people and answers. */
export const SMALL: ScaleSizes = {
  participants: 60,
  coaches: 20,
  groups: 4,
  courses: 4,
  answers: 300,
  reviews: 150,
  privacyLog: 2_000,
  transcriptWords: 300,
  wordRows: 300,
  staff: 20,
  impersonations: 200,
  organisations: 5,
  destructionReports: 5,
  reportObjects: 50,
};

export const PASSWORD = 'scale-bench-2026';
const VIDEO_EXERCISES = ['0d9c8b7a-6f5e-4d3c-8b2a-190817161511', '0d9c8b7a-6f5e-4d3c-8b2a-190817161531'];
const VOCABULARY = (
  'I understand your order is late and I am sorry about that let me check what happened with the delivery ' +
  'your parcel left our warehouse on Monday and should arrive tomorrow I will call the courier and make sure ' +
  'you get a refund for the shipping costs thank you for your patience is there anything else I can do for you today ' +
  'the customer asked about the invoice and the account we can change the address send a new confirmation by email'
)
  .toLowerCase()
  .split(' ');

export interface ScaleWorld {
  tenantId: string;
  admin: string;
  coach: string;
  participant: string;
  developer: string;
}

/**
 * A year of the administrators' changes to the organisation's accounts: everyone invited from a
 * file, given a licence and put in their groups (about three changes a person), spread over the year.
 */
const ACCOUNT_ACTIVITY = `WITH admin AS (SELECT id FROM users WHERE tenant_id = $1 AND email LIKE 'admin%' ORDER BY email LIMIT 1),
          changes AS (
            SELECT u.id AS subject_id, 'user.imported' AS action,
                   jsonb_build_object('roles', (SELECT jsonb_agg(m.role) FROM memberships m WHERE m.user_id = u.id)) AS details
              FROM users u WHERE u.tenant_id = $1
            UNION ALL
            SELECT l.user_id, 'user.licence_changed',
                   jsonb_build_object('previousLicence', NULL, 'licence', jsonb_build_object('startsOn', l.starts_on, 'expiresOn', l.expires_on))
              FROM licences l WHERE l.tenant_id = $1
            UNION ALL
            SELECT gm.user_id, 'group.member_added',
                   jsonb_build_object('group', jsonb_build_object('id', g.id, 'name', g.name), 'membership', gm.role)
              FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.tenant_id = $1),
          numbered AS (SELECT c.*, row_number() OVER (ORDER BY random()) AS n, count(*) OVER () AS total FROM changes c)
     INSERT INTO account_activity (tenant_id, at, actor_id, actor_role, subject_id, action, details)
     SELECT $1, now() - (((total - n)::float / total) * interval '365 days'), admin.id, 'administrator', subject_id, action, details
       FROM numbered, admin ORDER BY n`;

/**
 * The account activity of an organisation generated before that table existed (a kept database the
 * benchmark reuses), once: false when it has some already.
 */
export async function generateAccountActivity(db: Client, tenantId: string): Promise<boolean> {
  if ((await db.query(`SELECT 1 FROM account_activity WHERE tenant_id = $1 LIMIT 1`, [tenantId])).rowCount)
    return false;
  await db.query(ACCOUNT_ACTIVITY, [tenantId]);
  await db.query(`VACUUM (ANALYZE) account_activity`);
  return true;
}

/**
 * Fills an empty, migrated database with one organisation of the given size, in bulk SQL
 * (generate_series), as the schema's owner. Everyone's password is PASSWORD. Returns the e-mail
 * addresses of one person per role (a coach of group 1, a participant of group 1).
 *
 * Rows that the application appends over time (answers, recordings, transcripts and their
 * passages, reviews) are inserted in time order, each transcript's passages together, so the
 * tables lie on disk as a live installation's do: the worker writes a transcript's passages in
 * one statement when it transcribes the answer. (Written in any other order, a transcript's ten
 * passages lay on ten pages 7,000 pages apart, and reading them cost the coach's search a third of
 * its database time at 20 concurrent coaches: 14.5 against 9–10 ms of PostgreSQL's CPU per request.)
 */
export async function generateScaleData(
  db: Client,
  s: ScaleSizes,
  log: (m: string) => void = () => undefined,
): Promise<ScaleWorld> {
  // the same pre-hash as the product's PasswordHasher, at bcrypt's lowest cost (signing in is not what is measured)
  const hash = await bcrypt.hash(
    createHmac('sha256', 'rehearse-password-v1').update(PASSWORD.normalize('NFKC'), 'utf8').digest('base64'),
    4,
  );
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    await db.query(sql, params);
    log(`  ${what} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  };
  const [{ id: tenantId }] = (
    await db.query(`INSERT INTO tenants (name, slug) VALUES ('Scale Organisation', 'scale') RETURNING id`)
  ).rows;
  await step(
    'people',
    `INSERT INTO users (tenant_id, email, name, status, password_hash, password_changed_at)
     SELECT $1, r || n || '@scale.test', initcap(r) || ' ' || n, 'active', $2, now()
       FROM (SELECT 'participant' AS r, generate_series(1, $3) AS n UNION ALL SELECT 'coach', generate_series(1, $4)
             UNION ALL SELECT 'admin', generate_series(1, $5) UNION ALL SELECT 'developer', generate_series(1, $5)) x`,
    [tenantId, hash, s.participants, s.coaches, s.staff],
  );
  await step(
    'roles and licences',
    `WITH u AS (SELECT id, split_part(email, '@', 1) AS local FROM users WHERE tenant_id = $1)
     INSERT INTO memberships (tenant_id, user_id, role)
     SELECT $1, id, CASE WHEN local LIKE 'participant%' THEN 'participant' WHEN local LIKE 'coach%' THEN 'coach' WHEN local LIKE 'admin%' THEN 'administrator' ELSE 'content_developer' END FROM u`,
    [tenantId],
  );
  await db.query(
    `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on) SELECT $1, id, current_date - 365, current_date + 365 FROM users WHERE tenant_id = $1 AND email LIKE 'participant%'`,
    [tenantId],
  );
  await step(
    'groups',
    `INSERT INTO groups (tenant_id, name) SELECT $1, 'Group ' || lpad(g::text, 3, '0') FROM generate_series(1, $2) g`,
    [tenantId, s.groups],
  );
  // participant n joins group (n mod G) + 1; coach n coaches group (n mod G) + 1
  await step(
    'group members',
    `WITH g AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM groups WHERE tenant_id = $1),
          u AS (SELECT id, split_part(email, '@', 1) AS local FROM users WHERE tenant_id = $1 AND (email LIKE 'participant%' OR email LIKE 'coach%'))
     INSERT INTO group_members (tenant_id, group_id, user_id, role)
     SELECT $1, g.id, u.id, CASE WHEN u.local LIKE 'participant%' THEN 'participant' ELSE 'coach' END
       FROM u JOIN g ON g.k = (regexp_replace(u.local, '\\D', '', 'g')::int % $2)`,
    [tenantId, s.groups],
  );
  const [{ id: developer }] = (await db.query(`SELECT id FROM users WHERE email = 'developer1@scale.test'`)).rows;
  const [{ id: rubricId }] = (
    await db.query(
      `INSERT INTO rubrics (tenant_id, title, description, criteria, created_by) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
      [tenantId, DEMO_RUBRIC.title, DEMO_RUBRIC.description, JSON.stringify(DEMO_RUBRIC.criteria), developer],
    )
  ).rows;
  for (let c = 1; c <= s.courses; c++) {
    const content = demoCourse(rubricId);
    content.title = `${content.title} (${c})`;
    // the published version carries its rubric, as publishing snapshots it
    for (const m of content.modules)
      for (const e of m.exercises)
        (e as { rubric?: unknown }).rubric = e.rubricId ? { id: rubricId, ...DEMO_RUBRIC } : undefined;
    const [{ id: courseId }] = (
      await db.query(
        `INSERT INTO courses (tenant_id, title, language, created_by) VALUES ($1,$2,'en',$3) RETURNING id`,
        [tenantId, content.title, developer],
      )
    ).rows;
    await db.query(
      `INSERT INTO course_versions (tenant_id, course_id, version, state, content, published_at, published_by, change_summary) VALUES ($1,$2,1,'published',$3,now() - interval '120 days',$4,'First version')`,
      [tenantId, courseId, JSON.stringify(content), developer],
    );
  }
  // each group takes 4 courses
  await step(
    'enrolments',
    `WITH g AS (SELECT id, row_number() OVER (ORDER BY name) - 1 AS k FROM groups WHERE tenant_id = $1),
          c AS (SELECT id, row_number() OVER (ORDER BY title) - 1 AS k FROM courses WHERE tenant_id = $1)
     INSERT INTO enrolments (tenant_id, course_id, group_id, due_on)
     SELECT DISTINCT $1, c.id, g.id, current_date + 60 FROM g CROSS JOIN generate_series(0, 3) j JOIN c ON c.k = (g.k * 4 + j) % $2`,
    [tenantId, s.courses],
  );
  // answers: a random participant, one of the group's courses, one of the two video exercises
  await step(
    `${s.answers} answers`,
    `WITH p AS (SELECT gm.user_id, gm.group_id, row_number() OVER (ORDER BY gm.user_id) AS n FROM group_members gm WHERE gm.tenant_id = $1 AND gm.role = 'participant'),
          total AS (SELECT count(*) AS n FROM p),
          picks AS (
            SELECT i, 1 + floor(random() * (SELECT n FROM total))::int AS pn, floor(random() * 4)::int AS cj, ($3::uuid[])[1 + floor(random() * 2)::int] AS exercise
              FROM generate_series(1, $2) i),
          chosen AS (
            SELECT p.user_id, e.course_id, picks.exercise, now() - (random() * interval '90 days') AS at
              FROM picks JOIN p ON p.n = picks.pn
              JOIN LATERAL (SELECT course_id FROM enrolments WHERE group_id = p.group_id ORDER BY course_id OFFSET picks.cj % 4 LIMIT 1) e ON true)
     INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type, submitted_at)
     SELECT $1, c.user_id, c.course_id, v.id, c.exercise, row_number() OVER (PARTITION BY c.user_id, c.course_id, c.exercise ORDER BY c.at), 'video', c.at
       FROM chosen c JOIN course_versions v ON v.course_id = c.course_id AND v.state = 'published'
      ORDER BY c.at`,
    [tenantId, s.answers, VIDEO_EXERCISES],
  );
  await step(
    'recordings',
    `INSERT INTO recordings (tenant_id, owner_id, purpose, answer_id, course_id, exercise_id, object_key, envelope, container, content_type, size_bytes, duration_seconds, has_video, status, transcribed_at, created_at, updated_at)
     SELECT a.tenant_id, a.user_id, 'answer', a.id, a.course_id, a.exercise_id, 'tenants/' || a.tenant_id || '/recordings/' || a.id, '{}', 'webm', 'video/webm', 4000000, 60 + random() * 60, true, 'transcribed', a.submitted_at, a.submitted_at, a.submitted_at
       FROM answers a WHERE a.tenant_id = $1
      ORDER BY a.submitted_at`,
    [tenantId],
  );
  await step(
    'transcripts',
    // written when the worker transcribed the answer, as the worker writes them (not all at the
    // moment the data is generated: the administrator's search walks passages newest first)
    `INSERT INTO transcripts (tenant_id, recording_id, engine, model, language, text, no_speech, audio_seconds, processing_ms, created_at)
     SELECT r.tenant_id, r.id, 'whisper.cpp', 'ggml-base.en.bin', 'en', t.text, false, r.duration_seconds, 9000, r.transcribed_at
       FROM recordings r
       CROSS JOIN LATERAL (SELECT string_agg(($3::text[])[1 + floor(random() * array_length($3::text[], 1))::int], ' ') AS text FROM generate_series(1, $2 + (r.size_bytes * 0)::int) g WHERE r.id IS NOT NULL) t
      WHERE r.tenant_id = $1
      ORDER BY r.transcribed_at`,
    [tenantId, s.transcriptWords, VOCABULARY],
  );
  await step(
    'searchable passages',
    `INSERT INTO transcript_segments (transcript_id, idx, tenant_id, start_s, end_s, text, created_at)
     SELECT t.id, k, t.tenant_id, k * 10, k * 10 + 9.5, array_to_string((string_to_array(t.text, ' '))[k * 30 + 1 : k * 30 + 30], ' '), t.created_at
       FROM transcripts t CROSS JOIN LATERAL generate_series(0, ceil($2 / 30.0)::int - 1) k
      WHERE t.tenant_id = $1
      ORDER BY t.created_at, t.id, k`,
    [tenantId, s.transcriptWords],
  );
  await step(
    'word rows',
    `INSERT INTO transcript_words (transcript_id, idx, tenant_id, start_s, end_s, text, confidence)
     SELECT t.id, w.n - 1, t.tenant_id, (w.n - 1) * 0.4, (w.n - 1) * 0.4 + 0.35, w.word, 0.9
       FROM (SELECT id, tenant_id, text FROM transcripts WHERE tenant_id = $1 ORDER BY id LIMIT $2) t
       CROSS JOIN LATERAL unnest(string_to_array(t.text, ' ')) WITH ORDINALITY AS w(word, n)
      ORDER BY t.id, w.n`,
    [tenantId, s.wordRows],
  );
  await step(
    'AI reports',
    `INSERT INTO ai_reports (tenant_id, recording_id, report)
     SELECT tenant_id, id, jsonb_build_object('noSpeech', false, 'language', 'en', 'durationSeconds', duration_seconds, 'speakingSeconds', duration_seconds * 0.8, 'wordCount', $2::int,
        'metrics', '[]'::jsonb, 'paceOverTime', '[]'::jsonb, 'fillers', '[]'::jsonb, 'pauses', '[]'::jsonb, 'keyPhrases', '[]'::jsonb, 'avoidPhrases', '[]'::jsonb, 'sentiment', null, 'loudness', null)
       FROM recordings WHERE tenant_id = $1
      ORDER BY transcribed_at`,
    [tenantId, s.transcriptWords],
  );
  // published coach reviews on distinct answers, by a coach of the participant's group
  await step(
    `${s.reviews} published reviews`,
    `WITH a AS (SELECT a.id, a.user_id, a.submitted_at FROM answers a WHERE a.tenant_id = $1 ORDER BY random() LIMIT $2),
          coach AS (SELECT DISTINCT ON (gp.user_id) gp.user_id AS participant, gc.user_id AS coach
                      FROM group_members gp JOIN group_members gc ON gc.group_id = gp.group_id AND gc.role = 'coach'
                     WHERE gp.tenant_id = $1 AND gp.role = 'participant' ORDER BY gp.user_id, gc.user_id)
     INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, scores, total, summary, ai_proposed, assigned_at, published_at, updated_at)
     SELECT $1, a.id, coach.coach, 'coach', 'published',
            jsonb_build_object($3::text, 1 + floor(random() * 5)::int, $4::text, 1 + floor(random() * 5)::int, $5::text, 1 + floor(random() * 5)::int),
            1 + random() * 4, 'Good structure; acknowledge the feeling first.',
            jsonb_build_array(jsonb_build_object('criterionId', $4::text, 'score', 1 + floor(random() * 5)::int, 'basis', '[]'::jsonb)),
            a.submitted_at, a.submitted_at + interval '2 days', a.submitted_at + interval '2 days'
       FROM a JOIN coach ON coach.participant = a.user_id
      ORDER BY a.submitted_at`,
    [tenantId, s.reviews, ...DEMO_RUBRIC.criteria.map((c) => c.id)],
  );
  await step(
    'review comments',
    `INSERT INTO review_comments (review_id, idx, tenant_id, at_s, text, tag)
     SELECT r.id, k, r.tenant_id, k * 12.5, 'Here you could pause before answering.', NULL FROM reviews r CROSS JOIN generate_series(0, 1) k WHERE r.tenant_id = $1 ORDER BY r.published_at, r.id, k`,
    [tenantId],
  );
  await step(
    `${s.privacyLog} privacy-log rows`,
    `WITH actors AS (SELECT array_agg(id) AS ids FROM users WHERE tenant_id = $1 AND (email LIKE 'coach%' OR email LIKE 'admin%')),
          subjects AS (SELECT array_agg(id) AS ids FROM users WHERE tenant_id = $1 AND email LIKE 'participant%')
     INSERT INTO privacy_log (tenant_id, actor_id, actor_role, subject_id, object_type, object_id, action, impersonator_id, at, prev_hash, hash, chain_version)
     SELECT $1, actors.ids[1 + floor(random() * array_length(actors.ids, 1))::int], 'coach',
            subjects.ids[1 + floor(random() * array_length(subjects.ids, 1))::int], 'answer', gen_random_uuid()::text, 'review', NULL,
            now() - ((($2 - i)::float / $2) * interval '365 days'), repeat('0', 64), repeat('0', 64), 2
       FROM generate_series(1, $2) i, actors, subjects`,
    [tenantId, s.privacyLog],
  );
  await step('account activity', ACCOUNT_ACTIVITY, [tenantId]);
  // vacuumed as well as analysed: index-only scans need the visibility map a fresh table lacks
  await step(
    'statistics',
    `VACUUM (ANALYZE) users, memberships, licences, groups, group_members, enrolments, courses, course_versions, answers, recordings, transcripts, transcript_segments, transcript_words, ai_reports, reviews, review_comments, privacy_log, account_activity`,
  );
  return scaleWorldOf(db);
}

/** The people the benchmark signs in as, in a database generateScaleData filled. */
export async function scaleWorldOf(db: Client): Promise<ScaleWorld> {
  const [{ id: tenantId }] = (await db.query(`SELECT id FROM tenants WHERE slug = 'scale'`)).rows;
  const one = async (email: string) =>
    (await db.query(`SELECT email FROM users WHERE tenant_id = $1 AND email = $2`, [tenantId, email])).rows[0]
      .email as string;
  return {
    tenantId,
    admin: await one('admin1@scale.test'),
    coach: await one('coach1@scale.test'),
    participant: await one('participant1@scale.test'),
    developer: await one('developer1@scale.test'),
  };
}

/** A superuser of the benchmark: signs in with PASSWORD and the authenticator app's code of `totpSecret`. */
export interface ScaleSuperuser {
  email: string;
  totpSecret: string;
}

/**
 * The operator's support staff: `count` superusers (superuser1@operator.scale.test, …), each with
 * an authenticator secret of their own (the same on every run: base32 of a hash of their number)
 * sealed by `sealTotp` as the API seals it, and `sizes.impersonations` impersonations of the
 * organisation's people spread over the two years before now, a few minutes each. A database that
 * has them already (a kept one) is left as it is.
 */
export async function generateSupportStaff(
  db: Client,
  sizes: ScaleSizes,
  count: number,
  sealTotp: (secret: string, userId: string) => string,
): Promise<ScaleSuperuser[]> {
  const staff = Array.from({ length: count }, (_, i) => ({
    email: `superuser${i + 1}@operator.scale.test`,
    totpSecret: [
      ...createHash('sha256')
        .update(`rehearse-scale-superuser-${i + 1}`)
        .digest(),
    ]
      .slice(0, 32)
      .map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32])
      .join(''),
  }));
  const known = new Set(
    (
      (
        await db.query(`SELECT email FROM users WHERE tenant_id IS NULL AND email = ANY($1)`, [
          staff.map((s) => s.email),
        ])
      ).rows as { email: string }[]
    ).map((r) => r.email),
  );
  const hash = await bcrypt.hash(
    createHmac('sha256', 'rehearse-password-v1').update(PASSWORD.normalize('NFKC'), 'utf8').digest('base64'),
    4,
  );
  for (const [i, s] of staff.entries()) {
    if (known.has(s.email)) continue;
    const id = randomUUID();
    await db.query(
      `INSERT INTO users (id, tenant_id, email, name, status, password_hash, password_changed_at, is_superuser, totp_enabled, totp_secret_sealed)
       VALUES ($1, NULL, $2, $3, 'active', $4, now(), true, true, $5)`,
      [id, s.email, `Support ${i + 1}`, hash, sealTotp(s.totpSecret, id)],
    );
  }
  const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM impersonations`)).rows as { n: number }[];
  if (n === 0 && sizes.impersonations > 0)
    await db.query(
      `WITH s AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE is_superuser AND email LIKE '%@operator.scale.test'),
            p AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE tenant_id IS NOT NULL),
            g AS (SELECT k, now() - interval '730 days' + (k::float / $1) * interval '730 days' AS at FROM generate_series(1, $1) k),
            x AS (SELECT k, at, s.ids[1 + k % cardinality(s.ids)] AS superuser_id, p.ids[1 + (k * 7919) % cardinality(p.ids)] AS target FROM g, s, p)
       INSERT INTO impersonations (superuser_id, target_user_id, tenant_id, reason, started_at, expires_at, ended_at)
       SELECT x.superuser_id, x.target, u.tenant_id,
              'Ticket ' || (100000 + x.k) || ': the person cannot find the feedback on their answer', x.at,
              x.at + interval '30 minutes', x.at + interval '8 minutes'
         FROM x JOIN users u ON u.id = x.target ORDER BY x.at`,
      [sizes.impersonations],
    );
  return staff;
}

/**
 * The operator's other records: `sizes.organisations` client organisations besides the measured
 * one (client-1 …, empty) and `sizes.destructionReports` reports of organisations destroyed over
 * the two years before now, each listing `sizes.reportObjects` objects as a real report does. A
 * database that has them already (a kept one) is left as it is.
 */
export async function generateOperatorRecords(db: Client, sizes: ScaleSizes): Promise<void> {
  const [{ n: clients }] = (await db.query(`SELECT count(*)::int AS n FROM tenants WHERE slug LIKE 'client-%'`))
    .rows as { n: number }[];
  if (clients === 0 && sizes.organisations > 0)
    await db.query(
      `INSERT INTO tenants (name, slug) SELECT 'Client organisation ' || k, 'client-' || k FROM generate_series(1, $1) k`,
      [sizes.organisations],
    );
  const [{ n: reports }] = (
    await db.query(`SELECT count(*)::int AS n FROM deletion_receipts WHERE kind = 'tenant_destruction'`)
  ).rows as { n: number }[];
  if (reports === 0 && sizes.destructionReports > 0)
    await db.query(
      `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, subject_name, subject_slug, created_at, verified, counts, objects)
       SELECT NULL, 'tenant_destruction', t.id, 'Former client ' || k, 'former-' || k,
              now() - interval '730 days' + (k::float / $1) * interval '730 days', true,
              jsonb_build_object('users', 100 + k, 'answers', $2 / 2, 'recordings', $2 / 2, 'objects', $2, 'keysDestroyed', 101 + k, 'queuedJobs', 0),
              (SELECT jsonb_agg(jsonb_build_object('key', 'tenants/' || t.id || '/recordings/' || o || '-' || gen_random_uuid() || '.webm', 'verified', true))
                 FROM generate_series(1, $2) o)
         FROM generate_series(1, $1) k, LATERAL (SELECT gen_random_uuid() AS id) t`,
      [sizes.destructionReports, sizes.reportObjects],
    );
}
