import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { CourseSummary, Enrolment, Group, GroupMember, Page } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import {
  CoursesService,
  EnrolDto,
  EnrolmentQuery,
  EnrolmentsService,
  GroupInputDto,
  GroupMemberQuery,
  GroupMembersChangeDto,
  GroupMembersDto,
  GroupsService,
  SearchQuery,
} from '@rehearse/server/courses';
import { CoursePageDto, EnrolmentDto, GroupDto, GroupMemberPageDto, GroupPageDto } from '@rehearse/server/courses';

@ApiTags('administration')
@Controller('admin')
export class AdminGroupsController {
  constructor(
    private readonly groups: GroupsService,
    private readonly enrolled: EnrolmentsService,
    private readonly courses: CoursesService,
  ) {}

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'The published courses a group or person can be enrolled in' })
  @Get('courses')
  @ApiOkResponse({
    type: CoursePageDto,
    description: 'Published courses of the organisation, to enrol groups and people in',
  })
  publishedCourses(@CurrentActor() actor: Actor, @Query() q: SearchQuery): Promise<Page<CourseSummary>> {
    return this.courses.list(actor, { q: q.q, status: 'published', page: q.page, pageSize: q.pageSize });
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: "Search and page the organisation's groups" })
  @Get('groups')
  @ApiOkResponse({ type: GroupPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: SearchQuery): Promise<Page<Group>> {
    return this.groups.list(actor, q.q, q.page, q.pageSize);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'Create a group' })
  @Refuses(409, 'A group with this name already exists')
  @Post('groups')
  @ApiCreatedResponse({ type: GroupDto })
  create(@CurrentActor() actor: Actor, @Body() dto: GroupInputDto): Promise<Group> {
    return this.groups.create(actor, dto);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({
    summary: 'A group with how many participants and coaches it has',
    description: 'Its members are paged apart (`GET /api/admin/groups/{id}/members`): a group may hold thousands.',
  })
  @Get('groups/:id')
  @ApiOkResponse({ type: GroupDto })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<Group> {
    return this.groups.get(actor, p.id);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({
    summary: "A page of a group's members",
    description:
      'Of one role, or coaches first and then participants; by name; `q` finds a name or address. Each person on the page is recorded in their privacy log.',
  })
  @Get('groups/:id/members')
  @ApiOkResponse({ type: GroupMemberPageDto })
  members(@CurrentActor() actor: Actor, @Param() p: IdParam, @Query() q: GroupMemberQuery): Promise<Page<GroupMember>> {
    return this.groups.members(actor, p.id, q);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'Rename a group or change its description' })
  @Refuses(409, 'A group with this name already exists')
  @Put('groups/:id')
  @ApiOkResponse({ type: GroupDto })
  update(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: GroupInputDto): Promise<Group> {
    return this.groups.update(actor, p.id, dto);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'Delete a group (its enrolments end; answers stay)' })
  @Delete('groups/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.groups.remove(actor, p.id);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: "Set a group's participants and coaches" })
  @Put('groups/:id/members')
  @ApiOkResponse({ type: GroupDto, description: 'Replaces participants and coaches' })
  setMembers(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: GroupMembersDto): Promise<Group> {
    return this.groups.setMembers(actor, p.id, dto);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({
    summary: 'Add people to a group and remove others',
    description:
      'Everyone not named keeps their place. Whoever is added must be an active person of the organisation with the role; when one cannot join, nothing changes.',
  })
  @Patch('groups/:id/members')
  @ApiOkResponse({ type: GroupDto, description: 'The group with its new counts' })
  changeMembers(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: GroupMembersChangeDto): Promise<Group> {
    return this.groups.changeMembers(actor, p.id, dto);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({
    summary: 'List enrolments of a course, a group or a person',
    description:
      "The filters combine; a person's are their own enrolments (those of their groups are the groups'). Without a filter: the organisation's.",
  })
  @Get('enrolments')
  @ApiOkResponse({ type: EnrolmentDto, isArray: true })
  enrolments(@CurrentActor() actor: Actor, @Query() q: EnrolmentQuery): Promise<Enrolment[]> {
    return this.enrolled.enrolments(actor, { courseId: q.courseId, groupId: q.groupId, userId: q.userId });
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'Enrol a group or one person in a course' })
  @Refuses(409, 'Already enrolled in this course')
  @Post('enrolments')
  @ApiCreatedResponse({ type: EnrolmentDto })
  enrol(@CurrentActor() actor: Actor, @Body() dto: EnrolDto): Promise<Enrolment> {
    return this.enrolled.enrol(actor, dto);
  }

  @RequirePermission('groups.manage')
  @ApiOperation({ summary: 'End an enrolment' })
  @Delete('enrolments/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  unenrol(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.enrolled.unenrol(actor, p.id);
  }
}
