import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Enrolment } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AccountActivity, type ActivityRow, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AppError, badRequest, notFound, naturalOrder } from '@rehearse/server/core';
import type { EnrolDto } from './dto';
import { CoursesRepository } from './courses.repository';
import { type EnrolmentRow, type EnrolmentsOf, GroupsRepository } from './groups.repository';

/** Enrolments of groups or of single people in courses: listed, made and ended, each on the account activity. */
@Injectable()
export class EnrolmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
    private readonly groups: GroupsRepository,
    private readonly courses: CoursesRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly activity: AccountActivity,
  ) {}

  /** The organisation's enrolments of a course, a group or a person (or all of them, with no filter). */
  async enrolments(actor: Actor, of: EnrolmentsOf = {}): Promise<Enrolment[]> {
    const tenantId = this.access.tenantOf(actor);
    const rows = await this.groups.enrolments(tenantId, of);
    const names = await this.people.names(
      tenantId,
      rows.flatMap((r) => [r.user_id, r.coach_id].filter((x): x is string => x !== null)),
    );
    const enrolments = rows.map((r) => ({
      id: r.id,
      courseId: r.course_id,
      courseTitle: r.course_title,
      groupId: r.group_id,
      groupName: r.group_name,
      userId: r.user_id,
      userName: r.user_id ? (names.get(r.user_id) ?? null) : null,
      coachId: r.coach_id,
      coachName: r.coach_id ? (names.get(r.coach_id) ?? null) : null,
      startsOn: r.starts_on,
      dueOn: r.due_on,
    }));
    // by course, then by group or person (the people's names were joined in after the query)
    return enrolments.sort(
      (a, b) =>
        naturalOrder(a.courseTitle, b.courseTitle) ||
        naturalOrder(a.groupName ?? a.userName ?? '', b.groupName ?? b.userName ?? ''),
    );
  }

  async enrol(actor: Actor, dto: EnrolDto): Promise<Enrolment> {
    const tenantId = this.access.tenantOf(actor);
    if (!!dto.groupId === !!dto.userId)
      throw badRequest('validation_failed', 'Enrol either a group or one person', [
        { field: 'groupId', messages: ['give groupId or userId, not both'] },
      ]);
    if (dto.startsOn && dto.dueOn && dto.dueOn < dto.startsOn)
      throw badRequest('validation_failed', 'The due date is before the start', [
        { field: 'dueOn', messages: ['must not be before startsOn'] },
      ]);
    if (!(await this.courses.exists(tenantId, dto.courseId))) throw notFound('Course');
    if (dto.groupId && !(await this.groups.exists(tenantId, dto.groupId))) throw notFound('Group');
    if (dto.userId && !(await this.people.hasRole(tenantId, dto.userId, 'participant'))) throw notFound('Participant');
    if (dto.coachId && !(await this.people.hasRole(tenantId, dto.coachId, 'coach'))) throw notFound('Coach');
    try {
      const id = await this.db.transaction(async (m) => {
        const made = await this.groups.enrol(
          tenantId,
          {
            courseId: dto.courseId,
            groupId: dto.groupId ?? null,
            userId: dto.userId ?? null,
            coachId: dto.coachId ?? null,
            startsOn: dto.startsOn ?? null,
            dueOn: dto.dueOn ?? null,
          },
          m,
        );
        await this.activity.record(
          m,
          actor,
          tenantId,
          await this.enrolmentChange(m, tenantId, made, 'enrolment.added'),
        );
        return made;
      });
      const [enrolment] = await this.enrolments(actor, { id });
      return enrolment;
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new AppError(HttpStatus.CONFLICT, 'conflict', 'Already enrolled in this course');
      throw e;
    }
  }

  async unenrol(actor: Actor, id: string): Promise<void> {
    const tenantId = this.access.tenantOf(actor, 'Enrolment');
    await this.db.transaction(async (m) => {
      // recorded (with the course's title and the group's name) before it goes; only by the request that ends it
      const changes = await this.enrolmentChange(m, tenantId, id, 'enrolment.ended');
      if (!(await this.groups.unenrol(tenantId, id, m))) throw notFound('Enrolment');
      await this.activity.record(m, actor, tenantId, changes);
    });
  }

  /** The enrolment as a change on the account activity: the person's, or the group's (no person named). */
  private async enrolmentChange(
    m: EntityManager,
    tenantId: string,
    id: string,
    action: 'enrolment.added' | 'enrolment.ended',
  ): Promise<ActivityRow[]> {
    const [e] = await this.groups.enrolments(tenantId, { id }, m);
    return e ? [enrolmentActivity(e, action)] : [];
  }
}

/** An enrolment as a change on the account activity: the person's, or the group's (no person named). */
export function enrolmentActivity(e: EnrolmentRow, action: 'enrolment.added' | 'enrolment.ended'): ActivityRow {
  const course = { id: e.course_id, title: e.course_title };
  return e.group_id
    ? { action, subjectId: null, details: { course, group: { id: e.group_id, name: e.group_name ?? '' } } }
    : { action, subjectId: e.user_id, details: { course } };
}
