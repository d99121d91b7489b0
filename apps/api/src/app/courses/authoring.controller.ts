import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type {
  CourseDetail,
  CourseExportFile,
  CourseSummary,
  LearnerCourse,
  Page,
  Rubric,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import {
  ArchiveDto,
  CourseExportFileDto,
  CourseListQuery,
  CourseFilesService,
  CoursesService,
  CoverDto,
  CreateCourseDto,
  PublishDto,
  RubricInputDto,
  RubricsService,
  SaveDraftDto,
  SearchQuery,
  UpdateRubricDto,
} from '@rehearse/server/courses';
import {
  CourseDetailDto,
  CourseExportFileOutDto,
  CoursePageDto,
  LearnerCourseDto,
  RubricDto,
  RubricPageDto,
} from '@rehearse/server/courses';

@ApiTags('authoring')
@Controller('authoring')
export class AuthoringController {
  constructor(
    private readonly courses: CoursesService,
    private readonly files: CourseFilesService,
    private readonly rubrics: RubricsService,
  ) {}

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Search and page the organisation's courses" })
  @Get('courses')
  @ApiOkResponse({ type: CoursePageDto })
  list(@CurrentActor() actor: Actor, @Query() q: CourseListQuery): Promise<Page<CourseSummary>> {
    return this.courses.list(actor, q);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Create a course (an empty draft)' })
  @Post('courses')
  @ApiCreatedResponse({ type: CourseDetailDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCourseDto): Promise<CourseDetail> {
    return this.courses.create(actor, dto);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Create a course from an exported course file' })
  @Post('courses/import')
  @HttpCode(200)
  @ApiOkResponse({
    type: CourseDetailDto,
    description: 'Creates the course and its rubrics, or answers 400 listing every problem and creates nothing',
  })
  import(@CurrentActor() actor: Actor, @Body() file: CourseExportFileDto): Promise<CourseDetail> {
    return this.files.import(actor, file);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'A course with its draft and versions' })
  @Get('courses/:id')
  @ApiOkResponse({ type: CourseDetailDto })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<CourseDetail> {
    return this.courses.get(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Save the course's draft (refused when someone else saved meanwhile)" })
  @Refuses(409, 'Someone else saved the draft meanwhile (a stale revision), the course has no draft, or it is archived')
  @Put('courses/:id/draft')
  @ApiOkResponse({ type: CourseDetailDto, description: 'Saves the draft; 409 when someone saved a newer revision' })
  saveDraft(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: SaveDraftDto): Promise<CourseDetail> {
    return this.courses.saveDraft(actor, p.id, dto.revision, dto.content);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Start a new draft from the published version' })
  @Post('courses/:id/draft')
  @HttpCode(200)
  @ApiOkResponse({
    type: CourseDetailDto,
    description: 'Starts a new draft from the published version (no-op when a draft exists)',
  })
  startDraft(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<CourseDetail> {
    return this.courses.startDraft(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Publish the draft as a new version' })
  @Refuses(409, 'There is no draft to publish, or the course is archived')
  @Post('courses/:id/publish')
  @HttpCode(200)
  @ApiOkResponse({ type: CourseDetailDto, description: 'Freezes the draft as the new published version' })
  publish(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: PublishDto): Promise<CourseDetail> {
    return this.courses.publish(actor, p.id, dto.changeSummary);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Copy a course as a new draft course' })
  @Post('courses/:id/duplicate')
  @HttpCode(200)
  @ApiOkResponse({ type: CourseDetailDto })
  duplicate(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<CourseDetail> {
    return this.courses.duplicate(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Archive or unarchive a course' })
  @Put('courses/:id/archived')
  @ApiOkResponse({ type: CourseDetailDto })
  archive(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ArchiveDto): Promise<CourseDetail> {
    return this.courses.setArchived(actor, p.id, dto.archived);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Download a course as a file (content, rubrics, cover)' })
  @Get('courses/:id/export')
  @ApiOkResponse({ type: CourseExportFileOutDto, description: 'The course as one portable JSON file' })
  async export(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CourseExportFile> {
    const file = await this.files.export(actor, p.id);
    const name = `${
      file.course.title
        .replace(/[^\p{L}\p{N} _-]+/gu, '')
        .trim()
        .slice(0, 80) || 'course'
    }.rehearse.json`;
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    return file;
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Set the course's cover image" })
  @Put('courses/:id/cover')
  @ApiOkResponse({ type: CourseDetailDto })
  setCover(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: CoverDto): Promise<CourseDetail> {
    return this.files.setCover(actor, p.id, dto.dataUrl);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Remove the course's cover image" })
  @Delete('courses/:id/cover')
  @ApiOkResponse({ type: CourseDetailDto })
  removeCover(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<CourseDetail> {
    return this.files.removeCover(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'The draft as a trainee will see it' })
  @Get('courses/:id/preview')
  @ApiOkResponse({ type: LearnerCourseDto, description: 'The draft as a trainee would see it' })
  preview(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<LearnerCourse> {
    return this.courses.preview(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: "Search and page the organisation's rubrics" })
  @Get('rubrics')
  @ApiOkResponse({ type: RubricPageDto })
  listRubrics(@CurrentActor() actor: Actor, @Query() q: SearchQuery): Promise<Page<Rubric>> {
    return this.rubrics.list(actor, q.q, q.page, q.pageSize);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Create a rubric' })
  @Post('rubrics')
  @ApiCreatedResponse({ type: RubricDto })
  createRubric(@CurrentActor() actor: Actor, @Body() dto: RubricInputDto): Promise<Rubric> {
    return this.rubrics.create(actor, dto);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'One rubric with its criteria and levels' })
  @Get('rubrics/:id')
  @ApiOkResponse({ type: RubricDto })
  getRubric(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<Rubric> {
    return this.rubrics.get(actor, p.id);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Change a rubric (refused when someone else changed it meanwhile)' })
  @Refuses(409, 'Someone else changed this rubric meanwhile (a stale revision)')
  @Put('rubrics/:id')
  @ApiOkResponse({
    type: RubricDto,
    description: 'Published courses keep the rubric as it was when they were published',
  })
  updateRubric(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: UpdateRubricDto): Promise<Rubric> {
    return this.rubrics.update(actor, p.id, dto);
  }

  @RequirePermission('courses.author')
  @ApiOperation({ summary: 'Archive or restore a rubric' })
  @Put('rubrics/:id/archived')
  @ApiOkResponse({ type: RubricDto })
  archiveRubric(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ArchiveDto): Promise<Rubric> {
    return this.rubrics.setArchived(actor, p.id, dto.archived);
  }
}
