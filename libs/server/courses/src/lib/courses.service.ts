import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type {
  DeveloperHome,
  CourseContent,
  CourseDetail,
  CourseSummary,
  CourseVersionInfo,
  ImportProblem,
  LearnerCourse,
  Page,
  PublishedCourseContent,
} from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AppError, Clock, notFound, containsPattern } from '@rehearse/server/core';
import type { CourseContentDto, CourseListQuery, CreateCourseDto } from './dto';
import { contentProblems, exerciseCount, learnerExercise, stripSnapshots } from './content';
import { RubricsService } from './rubrics.service';
import { renderMarkdown } from './markdown';
import { type CourseRow, CoursesRepository } from './courses.repository';
import { RubricsRepository } from './rubrics.repository';
import { AnswerRecordings } from './ports';

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

/** Authoring: courses are edited as one draft document and published as frozen versions. */
@Injectable()
export class CoursesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly rubrics: RubricsService,
    private readonly clock: Clock,
    private readonly courses: CoursesRepository,
    private readonly rubricRows: RubricsRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly recordings: AnswerRecordings,
  ) {}

  async list(actor: Actor, q: CourseListQuery): Promise<Page<CourseSummary>> {
    const tenantId = this.access.tenantOf(actor);
    const { total, courses } = await this.courses.page(
      tenantId,
      { ...(q.q ? { pattern: containsPattern(q.q) } : {}), ...(q.status ? { status: q.status } : {}) },
      { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
    );
    return { items: courses.map(summary), total, page: q.page, pageSize: q.pageSize };
  }

  /** The content developer's home page: drafts waiting to be published and the newest published versions. */
  async developerHome(actor: Actor): Promise<DeveloperHome> {
    const tenantId = this.access.tenantOf(actor);
    const drafts = await this.courses.recentDrafts(tenantId, 5);
    const published = await this.courses.recentlyPublished(tenantId, 5);
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
    const row = await this.courses.row(tenantId, id, m);
    if (!row) throw notFound('Course');
    return row;
  }

  /** The course as it is once no other change of it runs: locked until the transaction ends. */
  private async rowForChange(m: EntityManager, tenantId: string, id: string): Promise<CourseRow> {
    if (!(await this.courses.lockForChange(tenantId, id, m))) throw notFound('Course');
    return this.row(m, tenantId, id);
  }

  async get(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const row = await this.row(this.db.manager, tenantId, id);
    const versions = await this.courses.versions(tenantId, id);
    const publishers = await this.people.names(
      tenantId,
      versions.flatMap((v) => v.published_by ?? []),
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
            // publishing froze each exercise's rubric into the version's content (publish() below)
            content: published.content as PublishedCourseContent,
          }
        : null,
      versions: versions.map((v): CourseVersionInfo => ({
        id: v.id,
        version: v.version,
        state: v.state,
        changeSummary: v.change_summary,
        publishedAt: v.published_at?.toISOString() ?? null,
        publishedByName: v.published_by ? (publishers.get(v.published_by) ?? null) : null,
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
    return this.courses.insert(tenantId, { content, createdBy: actor.userId, cover: cover ?? null }, m);
  }

  /** The tenant's rubrics: id → criterion ids. */
  private async knownRubrics(m: EntityManager, tenantId: string): Promise<Map<string, Set<string>>> {
    const rows = await this.rubricRows.all(tenantId, m);
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
    const known = await this.recordings.promptMedia(
      tenantId,
      refs.map((r) => r.id),
      m,
    );
    return refs
      .filter((r) => !known.has(r.id))
      .map((r) => ({ path: r.path, message: 'names prompt media that does not exist' }));
  }

  /** Replaces the draft document; optimistic concurrency through the draft's revision. */
  async saveDraft(actor: Actor, id: string, revision: number, content: CourseContentDto): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.rowForChange(m, tenantId, id);
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
      if (!(await this.courses.saveDraft(tenantId, id, row.draft_id, revision, stripSnapshots(content), m)))
        throw stale();
    });
    return this.get(actor, id);
  }

  /** Editing a published course starts a new draft from the published version. */
  async startDraft(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.rowForChange(m, tenantId, id);
      if (row.draft_id) return;
      await this.courses.newDraft(tenantId, id, stripSnapshots, m);
    });
    return this.get(actor, id);
  }

  /** Freezes the draft as the new published version, with the rubrics as they are now. */
  async publish(actor: Actor, id: string, changeSummary: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.db.transaction(async (m) => {
      const row = await this.rowForChange(m, tenantId, id);
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
      await this.courses.publish(
        tenantId,
        id,
        row.draft_id,
        { content: frozen, changeSummary, at: this.clock.now(), by: actor.userId },
        m,
      );
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
      const cover = await this.courses.cover(tenantId, id, m);
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
    await this.courses.setArchived(tenantId, id, archived);
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
