import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../lib/data-source-options';
import { createTestDatabase, type TestDatabase } from '../lib/test-database';

/**
 * The medium test tier (`*.medium-spec.ts`, docs/architecture.md "Test tiers"): a library's service
 * with its real repositories on a fresh copy of the migrated template database, connected as the
 * application's role with the application's session settings — no HTTP, no API process, no worker.
 * Set-up goes through the row factories below (plain INSERTs of the columns a test cares about,
 * the rest left to the schema's defaults), so a test states the situation it needs in a few lines
 * and never depends on another test having run first.
 */
export interface MediumDatabase {
  /** the application role's connection pool, as a service receives it */
  db: DataSource;
  database: TestDatabase;
  rows: Rows;
  close(): Promise<void>;
}

export async function openMediumDatabase(): Promise<MediumDatabase> {
  const database = await createTestDatabase();
  const db = new DataSource(dataSourceOptions(database.url, [], false));
  await db.initialize();
  return {
    db,
    database,
    rows: new Rows(db),
    async close() {
      await db.destroy();
      await database.drop();
    },
  };
}

export type MemberRole = 'participant' | 'coach';

/** A published course as a factory made it: its ids and its exercises' ids, in order. */
export interface CourseRow {
  id: string;
  versionId: string;
  exerciseIds: string[];
}

/** Row factories: each inserts one row (or the few that make one thing) and returns its id. */
export class Rows {
  private n = 0;
  constructor(private readonly db: DataSource) {}

  private async one(sql: string, params: unknown[]): Promise<string> {
    const rows = (await this.db.query(sql, params)) as { id: string }[];
    return rows[0].id;
  }

  private next(): number {
    return ++this.n;
  }

  async tenant(name = `Organisation ${this.next()}`): Promise<string> {
    const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`;
    return this.one(`INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id`, [name, slug]);
  }

  /** An active person of the tenant with these tenant roles (no password: nobody signs in here). */
  async user(
    tenantId: string,
    opts: { roles?: string[]; name?: string; email?: string; status?: string } = {},
  ): Promise<string> {
    const n = this.next();
    const id = await this.one(
      `INSERT INTO users (tenant_id, email, name, status) VALUES ($1, $2, $3, $4) RETURNING id`,
      [tenantId, opts.email ?? `person${n}@medium.test`, opts.name ?? `Person ${n}`, opts.status ?? 'active'],
    );
    for (const role of opts.roles ?? ['participant'])
      await this.db.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
        tenantId,
        id,
        role,
      ]);
    return id;
  }

  async group(tenantId: string, name = `Group ${this.next()}`): Promise<string> {
    return this.one(`INSERT INTO groups (tenant_id, name) VALUES ($1, $2) RETURNING id`, [tenantId, name]);
  }

  async member(tenantId: string, groupId: string, userId: string, role: MemberRole = 'participant'): Promise<void> {
    await this.db.query(`INSERT INTO group_members (tenant_id, group_id, user_id, role) VALUES ($1, $2, $3, $4)`, [
      tenantId,
      groupId,
      userId,
      role,
    ]);
  }

  /**
   * A course with one published version of `exercises` video exercises that take coach and peer
   * feedback (or `content`, as the course editor would have saved it).
   */
  async course(
    tenantId: string,
    opts: { title?: string; exercises?: number; content?: Record<string, unknown>; archived?: boolean } = {},
  ): Promise<CourseRow> {
    const title = opts.title ?? `Course ${this.next()}`;
    const exerciseIds = Array.from({ length: opts.exercises ?? 2 }, () => randomUUID());
    const content = opts.content ?? {
      title,
      description: '',
      language: 'en',
      modules: [
        {
          id: randomUUID(),
          title: 'Module 1',
          exercises: exerciseIds.map((id, i) => ({
            id,
            title: `Exercise ${i + 1}`,
            instructions: 'Answer the customer.',
            prompt: 'Where is my order?',
            answerType: 'video',
            preparationSeconds: 30,
            maxAnswerSeconds: 90,
            attemptsAllowed: 3,
            feedback: ['coach', 'peer', 'ai'],
          })),
        },
      ],
    };
    const id = await this.one(
      `INSERT INTO courses (tenant_id, title, language, archived_at) VALUES ($1, $2, 'en', CASE WHEN $3 THEN now() END) RETURNING id`,
      [tenantId, title, opts.archived ?? false],
    );
    const versionId = await this.one(
      `INSERT INTO course_versions (tenant_id, course_id, version, state, content, published_at)
       VALUES ($1, $2, 1, 'published', $3, now()) RETURNING id`,
      [tenantId, id, JSON.stringify(content)],
    );
    return { id, versionId, exerciseIds };
  }

  /** A group's enrolment in a course, or one person's (with their own coach). */
  async enrolment(
    tenantId: string,
    courseId: string,
    to: { groupId?: string; userId?: string; coachId?: string; dueOn?: string },
  ): Promise<string> {
    return this.one(
      `INSERT INTO enrolments (tenant_id, course_id, group_id, user_id, coach_id, due_on) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [tenantId, courseId, to.groupId ?? null, to.userId ?? null, to.coachId ?? null, to.dueOn ?? null],
    );
  }

  /** A submitted video answer to an exercise of the course's published version. */
  async answer(
    tenantId: string,
    userId: string,
    course: CourseRow,
    opts: { exercise?: number; attempt?: number; submittedAt?: Date } = {},
  ): Promise<string> {
    return this.one(
      `INSERT INTO answers (tenant_id, user_id, course_id, course_version_id, exercise_id, attempt, answer_type, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'video', $7) RETURNING id`,
      [
        tenantId,
        userId,
        course.id,
        course.versionId,
        course.exerciseIds[opts.exercise ?? 0],
        opts.attempt ?? 1,
        opts.submittedAt ?? new Date(),
      ],
    );
  }

  /** The recording of an answer (its media is not stored: the row is what access and lists read). */
  async recording(tenantId: string, answerId: string, status = 'transcribed'): Promise<string> {
    return this.one(
      `INSERT INTO recordings (tenant_id, owner_id, purpose, answer_id, course_id, exercise_id, object_key, envelope, container, content_type, size_bytes, has_video, status)
       SELECT a.tenant_id, a.user_id, 'answer', a.id, a.course_id, a.exercise_id, 'tenants/' || a.tenant_id || '/recordings/' || a.id, '{}', 'webm', 'video/webm', 1000, true, $3
         FROM answers a WHERE a.id = $2 AND a.tenant_id = $1 RETURNING id`,
      [tenantId, answerId, status],
    );
  }

  /** An export of one person's data (`subjectId`), or of the organisation's (null), as requested. */
  async dataExport(tenantId: string, subjectId: string | null, state = 'ready'): Promise<string> {
    return this.one(
      `INSERT INTO data_exports (tenant_id, scope, subject_id, state, created_at)
       VALUES ($1, CASE WHEN $2::uuid IS NULL THEN 'tenant' ELSE 'user' END, $2, $3, now()) RETURNING id`,
      [tenantId, subjectId, state],
    );
  }

  /** The participant shared the answer with a group for peer review. */
  async share(tenantId: string, answerId: string, groupId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO answer_shares (answer_id, tenant_id, group_id, shared_at) VALUES ($1, $2, $3, now())`,
      [answerId, tenantId, groupId],
    );
  }

  /** A licence from a year ago until `expiresOn` (YYYY-MM-DD). */
  async licence(tenantId: string, userId: string, expiresOn: string): Promise<string> {
    return this.one(
      `INSERT INTO licences (tenant_id, user_id, starts_on, expires_on) VALUES ($1, $2, $3::date - 365, $3::date) RETURNING id`,
      [tenantId, userId, expiresOn],
    );
  }

  /** A coach's (or peer's) review of an answer: a draft, published now, or lapsed (a peer's, past its due date). */
  async review(
    tenantId: string,
    answerId: string,
    reviewerId: string,
    opts: { source?: 'coach' | 'peer' | 'self'; state?: 'draft' | 'published' | 'lapsed'; summary?: string } = {},
  ): Promise<string> {
    const state = opts.state ?? 'published';
    return this.one(
      `INSERT INTO reviews (tenant_id, answer_id, reviewer_id, source, state, summary, assigned_at, published_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::varchar, $6, now(), CASE WHEN $5::varchar = 'published' THEN now() END, now()) RETURNING id`,
      [tenantId, answerId, reviewerId, opts.source ?? 'coach', state, opts.summary ?? ''],
    );
  }
}
