import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import type { CourseContent, CourseLanguage } from '@rehearse/shared/contracts';
import { lockRow, type Queryable, rows, run, typed } from '@rehearse/server/database';

export interface CourseRow {
  id: string;
  tenant_id: string;
  title: string;
  language: CourseLanguage;
  archived_at: Date | null;
  has_cover: boolean;
  updated_at: Date;
  draft_id: string | null;
  published_version: number | null;
  content: CourseContent | null;
}

export interface VersionRow {
  id: string;
  version: number;
  state: 'draft' | 'published' | 'superseded';
  content: CourseContent;
  revision: number;
  change_summary: string | null;
  published_at: Date | null;
  published_by: string | null;
}

export const SELECT_COURSE = `
  SELECT c.id, c.tenant_id, c.title, c.language, c.archived_at, c.cover IS NOT NULL AS has_cover, c.updated_at,
         d.id AS draft_id, p.version AS published_version, COALESCE(d.content, p.content) AS content
    FROM courses c
    LEFT JOIN course_versions d ON d.course_id = c.id AND d.state = 'draft'
    LEFT JOIN course_versions p ON p.course_id = c.id AND p.state = 'published'`;

/** A course's stored cover (type and bytes; both null without one). */
export interface StoredCover {
  cover_type: 'image/png' | 'image/jpeg' | 'image/webp' | null;
  cover: Buffer | null;
}

/**
 * The statements of courses on `courses` and `course_versions`: courses are edited as one draft
 * document and published as frozen versions. Each method takes the tenant first.
 */
@Injectable()
export class CoursesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the course belongs to the organisation (archived or not). */
  async exists(tenantId: string, courseId: string, m: Queryable = this.db): Promise<boolean> {
    const found = await rows(
      m,
      typed
        .selectFrom('courses')
        .select(sql<number>`1`.as('one'))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
    return found.length === 1;
  }

  /**
   * The organisation's courses whose title contains `pattern` (a LIKE pattern, lower case) and in
   * `status`, live ones first, by title, a page at a time.
   */
  async page(
    tenantId: string,
    filter: { pattern?: string; status?: 'draft' | 'published' | 'archived' },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; courses: CourseRow[] }> {
    const params: unknown[] = [tenantId];
    const where = ['c.tenant_id = $1'];
    if (filter.pattern !== undefined) {
      params.push(filter.pattern);
      where.push(`lower(c.title) LIKE $${params.length}`);
    }
    if (filter.status === 'archived') where.push('c.archived_at IS NOT NULL');
    if (filter.status === 'published') where.push(`c.archived_at IS NULL AND p.id IS NOT NULL`);
    if (filter.status === 'draft') where.push(`c.archived_at IS NULL AND p.id IS NULL`);
    const clause = where.join(' AND ');
    const [{ count }] = (await this.db.query(
      `SELECT count(*)::int AS count FROM courses c LEFT JOIN course_versions p ON p.course_id = c.id AND p.state = 'published' WHERE ${clause}`,
      params,
    )) as { count: number }[];
    const courses = (await this.db.query(
      `${SELECT_COURSE} WHERE ${clause} ORDER BY c.archived_at NULLS FIRST, c.title COLLATE natural_order, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit, page.offset],
    )) as CourseRow[];
    return { total: count, courses };
  }

  /** The course with its draft's or published version's content (undefined: not in the organisation). */
  /**
   * Locks the course's row until the transaction `m` ends, so that its draft is started, saved and
   * published one request at a time (two drafts started at once took the same version number; a
   * save beside a publication was overwritten by the content the publication had read). False when
   * there is no such course.
   */
  lockForChange(tenantId: string, id: string, m: Queryable): Promise<boolean> {
    return lockRow(m, 'courses', tenantId, id);
  }

  async row(tenantId: string, id: string, m: Queryable = this.db): Promise<CourseRow | undefined> {
    const [row] = (await m.query(`${SELECT_COURSE} WHERE c.id = $1 AND c.tenant_id = $2`, [
      id,
      tenantId,
    ])) as CourseRow[];
    return row;
  }

  /** The course's versions, newest first, with who published each. */
  async versions(tenantId: string, courseId: string): Promise<VersionRow[]> {
    return (await this.db.query(
      `SELECT v.* FROM course_versions v WHERE v.course_id = $1 AND v.tenant_id = $2 ORDER BY v.version DESC`,
      [courseId, tenantId],
    )) as VersionRow[];
  }

  /** The drafts edited last (of live courses), at most `limit`, and whether each course was published before. */
  async recentDrafts(
    tenantId: string,
    limit: number,
  ): Promise<{ id: string; title: string; updated_at: Date; published: boolean }[]> {
    return (await this.db.query(
      `SELECT c.id, d.content->>'title' AS title, d.updated_at,
              EXISTS (SELECT 1 FROM course_versions p WHERE p.course_id = c.id AND p.state <> 'draft') AS published
         FROM courses c JOIN course_versions d ON d.course_id = c.id AND d.state = 'draft'
        WHERE c.tenant_id = $1 AND c.archived_at IS NULL
        ORDER BY d.updated_at DESC, c.id LIMIT $2`,
      [tenantId, limit],
    )) as { id: string; title: string; updated_at: Date; published: boolean }[];
  }

  /** The versions published last (of live courses), at most `limit`. */
  async recentlyPublished(
    tenantId: string,
    limit: number,
  ): Promise<{ id: string; title: string; version: number; published_at: Date }[]> {
    return (await this.db.query(
      `SELECT c.id, v.content->>'title' AS title, v.version, v.published_at
         FROM courses c JOIN course_versions v ON v.course_id = c.id AND v.state <> 'draft'
        WHERE c.tenant_id = $1 AND c.archived_at IS NULL
        ORDER BY v.published_at DESC, v.id LIMIT $2`,
      [tenantId, limit],
    )) as { id: string; title: string; version: number; published_at: Date }[];
  }

  /** A new course with its first draft; its id. */
  async insert(
    tenantId: string,
    c: { content: CourseContent; createdBy: string; cover: { type: string; bytes: Buffer } | null },
    m: Queryable,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('courses')
        .values({
          tenant_id: tenantId,
          title: c.content.title,
          language: c.content.language,
          created_by: c.createdBy,
          cover_type: c.cover?.type ?? null,
          cover: c.cover?.bytes ?? null,
        })
        .returning('id'),
    );
    await run(
      m,
      typed.insertInto('course_versions').values({
        tenant_id: tenantId,
        course_id: row.id,
        version: 1,
        state: 'draft',
        content: JSON.stringify(c.content),
      }),
    );
    return row.id;
  }

  /**
   * Saves the draft's content if it is still at `revision` (its revision goes up) and the course's
   * title and language with it; false when someone saved it meanwhile.
   */
  async saveDraft(
    tenantId: string,
    courseId: string,
    draftId: string,
    revision: number,
    content: CourseContent,
    m: Queryable,
  ): Promise<boolean> {
    const { count } = await run(
      m,
      typed
        .updateTable('course_versions')
        .set({ content: JSON.stringify(content), revision: sql<number>`revision + 1`, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', draftId)
        .where('state', '=', 'draft')
        .where('revision', '=', revision),
    );
    if (count !== 1) return false;
    await run(
      m,
      typed
        .updateTable('courses')
        .set({ title: content.title, language: content.language, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
    return true;
  }

  /** A new draft from the newest version's content (`prepare` makes it a draft's content). */
  async newDraft(
    tenantId: string,
    courseId: string,
    prepare: (content: CourseContent) => CourseContent,
    m: Queryable,
  ): Promise<void> {
    const [latest] = (await m.query(
      `SELECT version, content FROM course_versions WHERE course_id = $1 AND tenant_id = $2 ORDER BY version DESC LIMIT 1`,
      [courseId, tenantId],
    )) as { version: number; content: CourseContent }[];
    await run(
      m,
      typed.insertInto('course_versions').values({
        tenant_id: tenantId,
        course_id: courseId,
        version: latest.version + 1,
        state: 'draft',
        content: JSON.stringify(prepare(latest.content)),
      }),
    );
  }

  /** Publishes the draft with its frozen content: the published version before it is superseded. */
  async publish(
    tenantId: string,
    courseId: string,
    draftId: string,
    v: { content: CourseContent; changeSummary: string | null; at: Date; by: string },
    m: Queryable,
  ): Promise<void> {
    await run(
      m,
      typed
        .updateTable('course_versions')
        .set({ state: 'superseded', updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('course_id', '=', courseId)
        .where('state', '=', 'published'),
    );
    await run(
      m,
      typed
        .updateTable('course_versions')
        .set({
          state: 'published',
          content: JSON.stringify(v.content),
          change_summary: v.changeSummary,
          published_at: v.at,
          published_by: v.by,
          updated_at: sql<Date>`now()`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', draftId),
    );
    await run(
      m,
      typed
        .updateTable('courses')
        .set({ updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
  }

  /** Archives the course (or brings it back). */
  async setArchived(tenantId: string, courseId: string, archived: boolean): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('courses')
        .set({ archived_at: archived ? sql<Date>`now()` : null, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
  }

  /** The course's cover (both null without one). */
  async cover(tenantId: string, courseId: string, m: Queryable = this.db): Promise<StoredCover> {
    const [row] = await rows(
      m,
      typed
        .selectFrom('courses')
        .select(['cover_type', 'cover'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
    return { cover_type: (row?.cover_type ?? null) as StoredCover['cover_type'], cover: row?.cover ?? null };
  }

  /** Sets the course's cover, or removes it (null). */
  async setCover(tenantId: string, courseId: string, cover: { type: string; bytes: Buffer } | null): Promise<void> {
    await run(
      this.db,
      typed
        .updateTable('courses')
        .set({ cover_type: cover?.type ?? null, cover: cover?.bytes ?? null, updated_at: sql<Date>`now()` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', courseId),
    );
  }
}
