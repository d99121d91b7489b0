import { Injectable } from '@nestjs/common';
import type { LearnerCourse, LearnerCourseSummary, ParticipantProgress } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { notFound } from '@rehearse/server/core';
import { learnerExercise } from './content';
import { GroupsRepository } from './groups.repository';
import { LearningRepository } from './learning.repository';
import { learnerCourseSummary } from './learning.service';

/** A coach's view of their groups' learning: the courses a group takes, and a participant's progress. */
@Injectable()
export class CoachedLearningService {
  constructor(
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly learning: LearningRepository,
    private readonly groups: GroupsRepository,
    private readonly people: PeopleDirectoryRepository,
  ) {}

  /** A coach opens a participant's progress in one of the coach's groups: privacy-logged. */
  async participantProgress(actor: Actor, groupId: string, userId: string): Promise<ParticipantProgress> {
    const tenantId = this.access.tenantOf(actor, 'Participant');
    // the access core: a coach of the group (404 for a group one does not coach, as for a participant not in it)
    const coaching = await this.access.filter(actor, 'group.coach', [groupId]);
    if (!coaching.has(groupId)) throw notFound('Participant');
    return this.privacy.readWithLog(actor, async (m) => {
      const name = (await this.learning.isParticipantOf(tenantId, groupId, userId, m))
        ? (await this.people.names(tenantId, [userId], m)).get(userId)
        : undefined;
      if (name === undefined) throw notFound('Participant');
      const courses = await this.learning.enrolled(tenantId, userId, groupId, m);
      const attempts = await this.learning.attemptCounts(
        tenantId,
        userId,
        courses.map((c) => c.course_id),
        m,
      );
      return {
        value: { userId, name, courses: courses.map((c) => learnerCourseSummary(c, attempts)) },
        log: { subjectId: userId, tenantId, objectType: 'course_progress', objectId: groupId, action: 'view' },
      };
    });
  }

  private async assertCoach(actor: Actor, groupId: string): Promise<string> {
    const tenantId = this.access.tenantOf(actor, 'Group');
    await this.access.require(actor, 'group.coach', groupId);
    return tenantId;
  }

  /** The courses a coached group takes (content, not anyone's answers). */
  async coachedCourses(actor: Actor, groupId: string): Promise<LearnerCourseSummary[]> {
    const tenantId = await this.assertCoach(actor, groupId);
    return (await this.learning.groupCourses(tenantId, groupId)).map((r) => learnerCourseSummary(r, new Map()));
  }

  /** One course of a coached group, as its trainees see it. */
  async coachedCourse(actor: Actor, groupId: string, courseId: string): Promise<LearnerCourse> {
    const tenantId = await this.assertCoach(actor, groupId);
    const r = (await this.learning.groupCourses(tenantId, groupId)).find((x) => x.course_id === courseId);
    if (!r) throw notFound('Course');
    return {
      ...learnerCourseSummary(r, new Map()),
      modules: r.content.modules.map((mo) => ({
        id: mo.id,
        title: mo.title,
        answered: 0,
        total: mo.exercises.length,
        exercises: mo.exercises.map((e) => learnerExercise(e, 0, false)),
      })),
    };
  }
}
