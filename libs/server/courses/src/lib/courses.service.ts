import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type {
  DeveloperHome,
  CourseContent,
  CourseDetail,
  CourseExportFile,
  CourseLanguage,
  CourseSummary,
  CourseVersionInfo,
  ImportProblem,
  LearnerCourse,
  Page,
} from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AppError, Clock, notFound, containsPattern } from '@rehearse/server/core';
import type { CourseContentDto, CourseExportFileDto, CourseListQuery, CreateCourseDto } from './dto';
import { contentProblems, exerciseCount, imageType, learnerExercise, rubricProblems, stripSnapshots } from './content';
import { RubricsService } from './rubrics.service';
import { renderMarkdown } from './markdown';

interface CourseRow {
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

interface VersionRow {
  id: string;
  version: number;
  state: 'draft' | 'published' | 'superseded';
  content: CourseContent;
  revision: number;
  change_summary: string | null;
  published_at: Date | null;
  published_by_name: string | null;
}

const SELECT_COURSE = `
  SELECT c.id, c.tenant_id, c.title, c.language, c.archived_at, c.cover IS NOT NULL AS has_cover, c.updated_at,
         d.id AS draft_id, p.version AS published_version, COALESCE(d.content, p.content) AS content
    FROM courses c
    LEFT JOIN course_versions d ON d.course_id = c.id AND d.state = 'draft'
    LEFT JOIN course_versions p ON p.course_id = c.id AND p.state = 'published'`;

function summary(r: CourseRow): CourseSummary {
  return {
    id: r.id,
    title: r.title,
    language: r.language,
    status: r.archived_at ? 'archived' : r.published_version !== null ? 'published' : 'draft',
    hasDraft: r.draft_id !== null,
    publishedVersion: r.published_version,
    exerciseCount: r.content ? exerciseCount(r.content) : 0,
    hasCover: r.has_cover,
    updatedAt: r.updated_at.toISOString(),
  };
}

const stale = () =>
  new AppError(
    HttpStatus.CONFLICT,
    'conflict',
    'Someone else saved this course meanwhile; reload it and apply your changes again',
  );
const importRefused = (problems: ImportProblem[]) =>
  new AppError(
    HttpStatus.BAD_REQUEST,
    'validation_failed',
    `The file cannot be imported: ${problems.length} problem(s); nothing was created`,
    problems.map((p) => ({ field: p.path, messages: [p.message] })),
  );

/** Authoring: courses are edited as one draft document and published as frozen versions. */
@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly rubrics: RubricsService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, q: CourseListQuery): Promise<Page<CourseSummary>> {
    const tenantId = this.access.tenantOf(actor);
    const params: unknown[] = [tenantId];
    const where = ['c.tenant_id = $1'];
    if (q.q) {
      params.push(containsPattern(q.q));
      where.push(`lower(c.title) LIKE $${params.length}`);
    }
    if (q.status === 'archived') where.push('c.archived_at IS NOT NULL');
    if (q.status === 'published') where.push(`c.archived_at IS NULL AND p.id IS NOT NULL`);
    if (q.status === 'draft') where.push(`c.archived_at IS NULL AND p.id IS NULL`);
    const clause = where.join(' AND ');
    const [{ count }] = await this.db.query(
      `SELECT count(*)::int AS count FROM courses c LEFT JOIN course_versions p ON p.course_id = c.id AND p.state = 'published' WHERE ${clause}`,
      params,
    );
    params.push(q.pageSize, (q.page - 1) * q.pageSize);
    const rows: CourseRow[] = await this.db.query(
      `${SELECT_COURSE} WHERE ${clause} ORDER BY c.archived_at NULLS FIRST, lower(c.title), c.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.map(summary), total: count, page: q.page, pageSize: q.pageSize };
  }

  /** The content developer's home page: drafts waiting to be published and the newest published versions. */
  async developerHome(actor: Actor): Promise<DeveloperHome> {
    const tenantId = this.access.tenantOf(actor);
    const drafts: { id: string; title: string; updated_at: Date; published: boolean }[] = await this.db.query(
      `SELECT c.id, d.content->>'title' AS title, d.updated_at,
              EXISTS (SELECT 1 FROM course_versions p WHERE p.course_id = c.id AND p.state <> 'draft') AS published
         FROM courses c JOIN course_versions d ON d.course_id = c.id AND d.state = 'draft'
        WHERE c.tenant_id = $1 AND c.archived_at IS NULL
        ORDER BY d.updated_at DESC, c.id LIMIT 5`,
      [tenantId],
    );
    const published: { id: string; title: string; version: number; published_at: Date }[] = await this.db.query(
      `SELECT c.id, v.content->>'title' AS title, v.version, v.published_at
         FROM courses c JOIN course_versions v ON v.course_id = c.id AND v.state <> 'draft'
        WHERE c.tenant_id = $1 AND c.archived_at IS NULL
        ORDER BY v.published_at DESC, v.id LIMIT 5`,
      [tenantId],
    );
    return {
      drafts: drafts.map((d) => ({
        courseId: d.id,
        title: d.title,
        updatedAt: d.updated_at.toISOString(),
        published: d.published,
      })),
      published: published.map((p) => ({
        courseId: p.id,
        title: p.title,
        version: p.version,
        publishedAt: p.published_at.toISOString(),
      })),
    };
  }

  private async row(m: EntityManager, tenantId: string, id: string): Promise<CourseRow> {
    const rows: CourseRow[] = await m.query(`${SELECT_COURSE} WHERE c.id = $1 AND c.tenant_id = $2`, [id, tenantId]);
    if (!rows[0]) throw notFound('Course');
    return rows[0];
  }

  async get(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const row = await this.row(this.db.manager, tenantId, id);
    const versions: VersionRow[] = await this.db.query(
      `SELECT v.*, u.name AS published_by_name FROM course_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.course_id = $1 ORDER BY v.version DESC`,
      [id],
    );
    const draft = versions.find((v) => v.state === 'draft');
    const published = versions.find((v) => v.state === 'published');
    return {
      ...summary(row),
      draft: draft
        ? { versionId: draft.id, version: draft.version, revision: draft.revision, content: draft.content }
        : null,
      published: published
        ? {
            versionId: published.id,
            version: published.version,
            publishedAt: (published.published_at as Date).toISOString(),
            content: published.content,
          }
        : null,
      versions: versions.map((v): CourseVersionInfo => ({
        id: v.id,
        version: v.version,
        state: v.state,
        changeSummary: v.change_summary,
        publishedAt: v.published_at?.toISOString() ?? null,
        publishedByName: v.published_by_name,
      })),
    };
  }

  async create(actor: Actor, dto: CreateCourseDto): Promise<CourseDetail> {
    const content: CourseContent = {
      title: dto.title,
      description: dto.description ?? '',
      language: dto.language,
      modules: [],
    };
    const id = await this.insertCourse(this.db.manager, actor, content);
    return this.get(actor, id);
  }

  private async insertCourse(
    m: EntityManager,
    actor: Actor,
    content: CourseContent,
    cover?: { type: string; bytes: Buffer },
  ): Promise<string> {
    const tenantId = this.access.tenantOf(actor);
    const [c]: { id: string }[] = await m.query(
      `INSERT INTO courses (tenant_id, title, language, created_by, cover_type, cover) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [tenantId, content.title, content.language, actor.userId, cover?.type ?? null, cover?.bytes ?? null],
    );
    await m.query(
      `INSERT INTO course_versions (tenant_id, course_id, version, state, content) VALUES ($1,$2,1,'draft',$3)`,
      [tenantId, c.id, JSON.stringify(content)],
    );
    return c.id;
  }

  /** The tenant's rubrics: id → criterion ids. */
  private async knownRubrics(m: EntityManager, tenantId: string): Promise<Map<string, Set<string>>> {
    const rows: { id: string; criteria: { id: string }[] }[] = await m.query(
      `SELECT id, criteria FROM rubrics WHERE tenant_id = $1`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.id, new Set(r.criteria.map((c) => c.id))]));
  }

  /** Prompt media must be this tenant's, uploaded as prompt media. */
  private async promptMediaProblems(
    m: EntityManager,
    tenantId: string,
    content: CourseContent,
  ): Promise<ImportProblem[]> {
    const refs = content.modules
      .flatMap((mo, i) =>
        mo.exercises.map((e, j) => ({ id: e.promptMediaId, path: `modules.${i}.exercises.${j}.promptMediaId` })),
      )
      .filter((r): r is { id: string; path: string } => !!r.id);
    if (!refs.length) return [];
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM recordings WHERE tenant_id = $1 AND purpose = 'prompt' AND id = ANY($2::uuid[])`,
      [tenantId, refs.map((r) => r.id)],
    );
    const known = new Set(rows.map((r) => r.id));
    return refs
      .filter((r) => !known.has(r.id))
      .map((r) => ({ path: r.path, message: 'names prompt media that does not exist' }));
  }

  /** Replaces the draft document; optimistic concurrency through the draft's revision. */
  async saveDraft(actor: Actor, id: string, revision: number, content: CourseContentDto): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.row(m, tenantId, id);
      if (row.archived_at)
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Archived courses cannot be edited; unarchive it first');
      if (!row.draft_id)
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'This course has no draft; start a new draft first');
      const problems = contentProblems(stripSnapshots(content), await this.knownRubrics(m, tenantId));
      problems.push(...(await this.promptMediaProblems(m, tenantId, content)));
      if (problems.length)
        throw new AppError(
          HttpStatus.BAD_REQUEST,
          'validation_failed',
          'The course is not valid',
          problems.map((p) => ({ field: p.path, messages: [p.message] })),
        );
      const [, n]: [unknown, number] = await m.query(
        `UPDATE course_versions SET content = $3, revision = revision + 1, updated_at = now() WHERE id = $1 AND state = 'draft' AND revision = $2`,
        [row.draft_id, revision, JSON.stringify(stripSnapshots(content))],
      );
      if (n !== 1) throw stale();
      await m.query(`UPDATE courses SET title = $2, language = $3, updated_at = now() WHERE id = $1`, [
        id,
        content.title,
        content.language,
      ]);
    });
    return this.get(actor, id);
  }

  /** Editing a published course starts a new draft from the published version. */
  async startDraft(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.row(m, tenantId, id);
      if (row.draft_id) return;
      const [latest]: VersionRow[] = await m.query(
        `SELECT * FROM course_versions WHERE course_id = $1 ORDER BY version DESC LIMIT 1`,
        [id],
      );
      await m.query(
        `INSERT INTO course_versions (tenant_id, course_id, version, state, content) VALUES ($1,$2,$3,'draft',$4)`,
        [tenantId, id, latest.version + 1, JSON.stringify(stripSnapshots(latest.content))],
      );
    });
    return this.get(actor, id);
  }

  /** Freezes the draft as the new published version, with the rubrics as they are now. */
  async publish(actor: Actor, id: string, changeSummary: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.row(m, tenantId, id);
      if (row.archived_at) throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Archived courses cannot be published');
      if (!row.draft_id || !row.content)
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'There is no draft to publish');
      const content = row.content;
      const problems = contentProblems(content, await this.knownRubrics(m, tenantId));
      if (exerciseCount(content) === 0)
        problems.push({
          path: 'content.modules',
          message: 'a course needs at least one exercise before it can be published',
        });
      if (problems.length)
        throw new AppError(
          HttpStatus.BAD_REQUEST,
          'validation_failed',
          'The course cannot be published yet',
          problems.map((p) => ({ field: p.path, messages: [p.message] })),
        );
      const ids = [
        ...new Set(
          content.modules.flatMap((mo) => mo.exercises.map((e) => e.rubricId).filter((r): r is string => !!r)),
        ),
      ];
      const snapshots = await this.rubrics.snapshots(tenantId, ids, m);
      const frozen: CourseContent = {
        ...content,
        modules: content.modules.map((mo) => ({
          ...mo,
          exercises: mo.exercises.map((e) => ({
            ...e,
            rubric: e.rubricId ? (snapshots.get(e.rubricId) ?? null) : null,
          })),
        })),
      };
      await m.query(
        `UPDATE course_versions SET state = 'superseded', updated_at = now() WHERE course_id = $1 AND state = 'published'`,
        [id],
      );
      await m.query(
        `UPDATE course_versions SET state = 'published', content = $2, change_summary = $3, published_at = $4, published_by = $5, updated_at = now() WHERE id = $1`,
        [row.draft_id, JSON.stringify(frozen), changeSummary, this.clock.now(), actor.userId],
      );
      await m.query(`UPDATE courses SET updated_at = now() WHERE id = $1`, [id]);
    });
    return this.get(actor, id);
  }

  async duplicate(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const newId = await this.db.transaction(async (m) => {
      const row = await this.row(m, tenantId, id);
      const content = stripSnapshots(row.content as CourseContent);
      const copy: CourseContent = {
        ...content,
        title: `Copy of ${content.title}`.slice(0, 200),
        modules: content.modules.map((mo) => ({
          ...mo,
          id: randomUUID(),
          exercises: mo.exercises.map((e) => ({ ...e, id: randomUUID() })),
        })),
      };
      const [cover]: { cover_type: string | null; cover: Buffer | null }[] = await m.query(
        `SELECT cover_type, cover FROM courses WHERE id = $1`,
        [id],
      );
      return this.insertCourse(
        m,
        actor,
        copy,
        cover.cover && cover.cover_type ? { type: cover.cover_type, bytes: cover.cover } : undefined,
      );
    });
    return this.get(actor, newId);
  }

  async setArchived(actor: Actor, id: string, archived: boolean): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.row(this.db.manager, tenantId, id);
    await this.db.query(
      `UPDATE courses SET archived_at = ${archived ? 'now()' : 'NULL'}, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return this.get(actor, id);
  }

  /** One portable JSON file: the latest content, the rubrics it uses, the cover embedded. */
  async export(actor: Actor, id: string): Promise<CourseExportFile> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const row = await this.row(this.db.manager, tenantId, id);
    const content = row.content as CourseContent;
    const ids = [
      ...new Set(content.modules.flatMap((mo) => mo.exercises.map((e) => e.rubricId).filter((r): r is string => !!r))),
    ];
    const library = await this.rubrics.snapshots(tenantId, ids);
    // a rubric removed from the library since publishing still travels as its snapshot
    for (const mo of content.modules)
      for (const e of mo.exercises)
        if (e.rubricId && !library.has(e.rubricId) && e.rubric) library.set(e.rubricId, e.rubric);
    const [cover]: { cover_type: 'image/png' | 'image/jpeg' | 'image/webp'; cover: Buffer | null }[] =
      await this.db.query(`SELECT cover_type, cover FROM courses WHERE id = $1`, [id]);
    return {
      format: 'rehearse.course',
      formatVersion: 1,
      exportedAt: this.clock.now().toISOString(),
      // prompt media stays in the installation: the file carries text, rubrics and the cover only
      course: withoutPromptMedia(stripSnapshots(content)),
      rubrics: [...library.values()],
      cover: cover.cover ? { type: cover.cover_type, base64: cover.cover.toString('base64') } : null,
    };
  }

  /** Imports a file (already shape-validated) after checking its meaning; all or nothing. */
  async import(actor: Actor, file: CourseExportFileDto): Promise<CourseDetail> {
    const problems: ImportProblem[] = [];
    const rubricIds = new Map<string, Set<string>>();
    file.rubrics.forEach((r, i) => {
      if (rubricIds.has(r.id)) problems.push({ path: `rubrics.${i}.id`, message: 'is used twice' });
      rubricIds.set(r.id, new Set(r.criteria.map((c) => c.id)));
      problems.push(...rubricProblems(r, `rubrics.${i}`));
    });
    problems.push(...contentProblems(file.course, rubricIds, 'course'));
    let cover: { type: string; bytes: Buffer } | undefined;
    if (file.cover) {
      const bytes = Buffer.from(file.cover.base64, 'base64');
      const type = imageType(bytes);
      if (!type || type !== file.cover.type)
        problems.push({ path: 'cover', message: 'is not the PNG, JPEG or WebP image it claims to be' });
      else cover = { type, bytes };
    }
    if (problems.length) throw importRefused(problems);
    const newId = await this.db.transaction(async (m) => {
      const remap = new Map<string, string>();
      for (const r of file.rubrics) {
        const created = await this.rubrics.create(
          actor,
          { title: r.title, description: r.description, criteria: r.criteria },
          m,
        );
        remap.set(r.id, created.id);
      }
      const content: CourseContent = {
        ...file.course,
        modules: file.course.modules.map((mo) => ({
          ...mo,
          exercises: mo.exercises.map(({ promptMediaId: _media, ...e }) => ({
            ...e,
            rubricId: e.rubricId ? (remap.get(e.rubricId) ?? null) : null,
          })),
        })),
      };
      return this.insertCourse(m, actor, content, cover);
    });
    return this.get(actor, newId);
  }

  async setCover(actor: Actor, id: string, dataUrl: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.row(this.db.manager, tenantId, id);
    const match = /^data:(image\/(?:png|jpeg|webp));base64,(.*)$/.exec(dataUrl);
    const bytes = Buffer.from(match?.[2] ?? '', 'base64');
    const type = imageType(bytes);
    if (!match || !type || type !== match[1])
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The cover must be a PNG, JPEG or WebP image', [
        { field: 'dataUrl', messages: ['is not a PNG, JPEG or WebP image'] },
      ]);
    if (bytes.length > 512 * 1024)
      throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', 'The cover image must be at most 512 KB');
    await this.db.query(
      `UPDATE courses SET cover_type = $3, cover = $4, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId, type, bytes],
    );
    return this.get(actor, id);
  }

  async removeCover(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.row(this.db.manager, tenantId, id);
    await this.db.query(
      `UPDATE courses SET cover_type = NULL, cover = NULL, updated_at = now() WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return this.get(actor, id);
  }

  /** The draft as a trainee would see it. */
  async preview(actor: Actor, id: string): Promise<LearnerCourse> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const row = await this.row(this.db.manager, tenantId, id);
    const content = row.content as CourseContent;
    const ids = content.modules.flatMap((mo) => mo.exercises.map((e) => e.rubricId).filter((r): r is string => !!r));
    const rubrics = await this.rubrics.snapshots(tenantId, ids);
    const total = exerciseCount(content);
    return {
      id,
      title: content.title,
      description: renderMarkdown(content.description),
      language: content.language,
      version: 0,
      exercisesTotal: total,
      exercisesAnswered: 0,
      feedbackReceived: 0,
      startsOn: null,
      dueOn: null,
      hasCover: row.has_cover,
      modules: content.modules.map((mo) => ({
        id: mo.id,
        title: mo.title,
        answered: 0,
        total: mo.exercises.length,
        exercises: mo.exercises.map((e) => learnerExercise(e, 0, false, rubrics)),
      })),
    };
  }
}

function withoutPromptMedia(content: CourseContent): CourseContent {
  return {
    ...content,
    modules: content.modules.map((mo) => ({ ...mo, exercises: mo.exercises.map(({ promptMediaId: _p, ...e }) => e) })),
  };
}
