import { Body, Controller, Get, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type {
  AnswerSummary,
  Group,
  GroupMember,
  LearnerCourse,
  LearnerCourseSummary,
  Page,
  ParticipantProgress,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequireObject, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import {
  ExerciseParams,
  GroupCourseParams,
  GroupParticipantParams,
  GroupsService,
  CoachedLearningService,
  LearningService,
  GroupMemberQuery,
  SearchQuery,
  TextAnswerDto,
} from '@rehearse/server/courses';
import {
  AnswerSummaryDto,
  GroupDto,
  GroupMemberPageDto,
  GroupPageDto,
  LearnerCourseDto,
  LearnerCourseSummaryDto,
  ParticipantProgressDto,
} from '@rehearse/server/courses';

@ApiTags('learning')
@Controller()
export class LearningController {
  constructor(
    private readonly learning: LearningService,
    private readonly coached: CoachedLearningService,
    private readonly groups: GroupsService,
  ) {}

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: "The trainee's courses with progress and due dates" })
  @Get('my/courses')
  @ApiOkResponse({ type: LearnerCourseSummaryDto, isArray: true })
  myCourses(@CurrentActor() actor: Actor): Promise<LearnerCourseSummary[]> {
    return this.learning.myCourses(actor);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: "One of the trainee's courses with its exercises and attempts" })
  @Get('my/courses/:id')
  @ApiOkResponse({ type: LearnerCourseDto })
  myCourse(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<LearnerCourse> {
    return this.learning.myCourse(actor, p.id);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: "The trainee's answers in a course" })
  @Get('my/courses/:id/answers')
  @ApiOkResponse({ type: AnswerSummaryDto, isArray: true })
  myAnswers(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<AnswerSummary[]> {
    return this.learning.myAnswers(actor, p.id);
  }

  @RequirePermission('courses.learn')
  @ApiOperation({ summary: 'Answer an exercise in writing' })
  @Refuses(
    409,
    'The exercise takes another kind of answer, all its attempts are used, or the submission was made for another exercise',
  )
  @Post('my/courses/:courseId/exercises/:exerciseId/text-answers')
  @ApiCreatedResponse({ type: AnswerSummaryDto })
  answer(@CurrentActor() actor: Actor, @Param() p: ExerciseParams, @Body() dto: TextAnswerDto): Promise<AnswerSummary> {
    return this.learning.submitText(actor, p.courseId, p.exerciseId, dto.text, dto.submissionId);
  }

  @RequirePermission('coaching.read')
  @ApiOperation({ summary: 'The groups the coach coaches' })
  @Get('coaching/groups')
  @ApiOkResponse({ type: GroupPageDto, description: 'The groups you coach' })
  coachedGroups(@CurrentActor() actor: Actor, @Query() q: SearchQuery): Promise<Page<Group>> {
    return this.groups.list(actor, q.q, q.page, q.pageSize, true);
  }

  @RequirePermission('coaching.read')
  @RequireObject('group.coach')
  @ApiOperation({ summary: 'One coached group with how many participants and coaches it has' })
  @Get('coaching/groups/:id')
  @ApiOkResponse({ type: GroupDto })
  coachedGroup(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<Group> {
    return this.groups.getCoached(actor, p.id);
  }

  @RequirePermission('coaching.read')
  @RequireObject('group.coach')
  @ApiOperation({
    summary: "A page of a coached group's members",
    description:
      'Of one role, or coaches first and then participants; by name; `q` finds a name or address. Each person on the page is recorded in their privacy log.',
  })
  @Get('coaching/groups/:id/members')
  @ApiOkResponse({ type: GroupMemberPageDto })
  coachedMembers(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Query() q: GroupMemberQuery,
  ): Promise<Page<GroupMember>> {
    return this.groups.members(actor, p.id, q, true);
  }

  @RequirePermission('coaching.read')
  @RequireObject('group.coach')
  @ApiOperation({ summary: 'The courses a coached group is enrolled in, with progress' })
  @Get('coaching/groups/:id/courses')
  @ApiOkResponse({
    type: LearnerCourseSummaryDto,
    isArray: true,
    description: 'The published courses the group is enrolled in',
  })
  coachedCourses(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<LearnerCourseSummary[]> {
    return this.coached.coachedCourses(actor, p.id);
  }

  @RequirePermission('coaching.read')
  @RequireObject('group.coach')
  @ApiOperation({ summary: "A coached group's course as its trainees see it, with everyone's progress" })
  @Get('coaching/groups/:id/courses/:courseId')
  @ApiOkResponse({ type: LearnerCourseDto, description: 'A course of the group, as its trainees see it' })
  coachedCourse(@CurrentActor() actor: Actor, @Param() p: GroupCourseParams): Promise<LearnerCourse> {
    return this.coached.coachedCourse(actor, p.id, p.courseId);
  }

  @RequirePermission('coaching.read')
  @RequireObject('group.coach')
  @ApiOperation({ summary: "One participant's progress in the group's courses (privacy-logged)" })
  @Get('coaching/groups/:id/participants/:userId/progress')
  @ApiOkResponse({ type: ParticipantProgressDto, description: 'Recorded in the participant’s privacy log' })
  progress(@CurrentActor() actor: Actor, @Param() p: GroupParticipantParams): Promise<ParticipantProgress> {
    return this.coached.participantProgress(actor, p.id, p.userId);
  }

  @RequirePermission('courses.view')
  @ApiOperation({ summary: "A course's cover image" })
  @Get('courses/:id/cover')
  @ApiProduces('image/png', 'image/jpeg', 'image/webp')
  @ApiOkResponse({ description: 'The cover image', schema: { type: 'string', format: 'binary' } })
  async cover(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { type, bytes } = await this.learning.cover(actor, p.id);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=300');
    return new StreamableFile(bytes, { type, disposition: 'inline; filename="cover"' });
  }
}
