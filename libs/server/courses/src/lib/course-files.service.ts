import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CourseContent, CourseDetail, CourseExportFile, ImportProblem } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AppError, Clock, notFound } from '@rehearse/server/core';
import type { CourseExportFileDto } from './dto';
import { contentProblems, coverProblem, imageType, rubricProblems, stripSnapshots } from './content';
import { type CourseRow, CoursesRepository } from './courses.repository';
import { CoursesService } from './courses.service';
import { RubricsService } from './rubrics.service';

const importRefused = (problems: ImportProblem[]) =>
  new AppError(
    HttpStatus.BAD_REQUEST,
    'validation_failed',
    `The file cannot be imported: ${problems.length} problem(s); nothing was created`,
    problems.map((p) => ({ field: p.path, messages: [p.message] })),
  );

/**
 * A course as files: the portable JSON export (content, the rubrics it uses, the cover embedded),
 * its import (all or nothing, rubrics created afresh), and the cover image.
 */
@Injectable()
export class CourseFilesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly authoring: CoursesService,
    private readonly rubrics: RubricsService,
    private readonly courses: CoursesRepository,
    private readonly clock: Clock,
  ) {}

  private async courseRow(tenantId: string, id: string): Promise<CourseRow> {
    const row = await this.courses.row(tenantId, id);
    if (!row) throw notFound('Course');
    return row;
  }

  /** One portable JSON file: the latest content, the rubrics it uses, the cover embedded. */
  async export(actor: Actor, id: string): Promise<CourseExportFile> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const row = await this.courseRow(tenantId, id);
    const content = row.content as CourseContent;
    const ids = [
      ...new Set(content.modules.flatMap((mo) => mo.exercises.map((e) => e.rubricId).filter((r): r is string => !!r))),
    ];
    const library = await this.rubrics.snapshots(tenantId, ids);
    // a rubric removed from the library since publishing still travels as its snapshot
    for (const mo of content.modules)
      for (const e of mo.exercises)
        if (e.rubricId && !library.has(e.rubricId) && e.rubric) library.set(e.rubricId, e.rubric);
    const cover = await this.courses.cover(tenantId, id);
    return {
      format: 'rehearse.course',
      formatVersion: 1,
      exportedAt: this.clock.now().toISOString(),
      // prompt media stays in the installation: the file carries text, rubrics and the cover only
      course: withoutPromptMedia(stripSnapshots(content)),
      rubrics: [...library.values()],
      cover:
        cover.cover && cover.cover_type ? { type: cover.cover_type, base64: cover.cover.toString('base64') } : null,
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
      const problem = type && type === file.cover.type ? coverProblem(bytes) : null;
      if (!type || type !== file.cover.type)
        problems.push({ path: 'cover', message: 'is not the PNG, JPEG or WebP image it claims to be' });
      else if (problem) problems.push({ path: 'cover', message: problem });
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
      return this.courses.insert(
        this.access.tenantOf(actor),
        { content, createdBy: actor.userId, cover: cover ?? null },
        m,
      );
    });
    return this.authoring.get(actor, newId);
  }

  async setCover(actor: Actor, id: string, dataUrl: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.courseRow(tenantId, id);
    const match = /^data:(image\/(?:png|jpeg|webp));base64,(.*)$/.exec(dataUrl);
    const bytes = Buffer.from(match?.[2] ?? '', 'base64');
    const type = imageType(bytes);
    if (!match || !type || type !== match[1])
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The cover must be a PNG, JPEG or WebP image', [
        { field: 'dataUrl', messages: ['is not a PNG, JPEG or WebP image'] },
      ]);
    if (bytes.length > 512 * 1024)
      throw new AppError(HttpStatus.PAYLOAD_TOO_LARGE, 'payload_too_large', 'The cover image must be at most 512 KB');
    const problem = coverProblem(bytes);
    if (problem)
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The cover must be a PNG, JPEG or WebP image', [
        { field: 'dataUrl', messages: [problem] },
      ]);
    await this.courses.setCover(tenantId, id, { type, bytes });
    return this.authoring.get(actor, id);
  }

  async removeCover(actor: Actor, id: string): Promise<CourseDetail> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    await this.courseRow(tenantId, id);
    await this.courses.setCover(tenantId, id, null);
    return this.authoring.get(actor, id);
  }
}

function withoutPromptMedia(content: CourseContent): CourseContent {
  return {
    ...content,
    modules: content.modules.map((mo) => ({ ...mo, exercises: mo.exercises.map(({ promptMediaId: _p, ...e }) => e) })),
  };
}
