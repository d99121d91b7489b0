import { Injectable } from '@nestjs/common';
import { LearningRepository } from './learning.repository';
import { learnerCourseSummary } from './learning.service';

/** How far a trainee is with one of their courses, as their course list shows it. */
export interface CourseProgressRow {
  title: string;
  dueOn: string | null;
  answered: number;
  total: number;
}

/**
 * One trainee's progress in one course they are enrolled in (through a group or on their own),
 * with the due date their course list shows: what the reminder of a course due soon checks when
 * it is queued and again when it is sent.
 */
@Injectable()
export class CourseProgress {
  constructor(private readonly learning: LearningRepository) {}

  /** Undefined when the person is not (or no longer) enrolled in the course. */
  async of(tenantId: string, userId: string, courseId: string): Promise<CourseProgressRow | undefined> {
    const row = (await this.learning.enrolled(tenantId, userId)).find((r) => r.course_id === courseId);
    if (!row) return undefined;
    const summary = learnerCourseSummary(row, await this.learning.attemptCounts(tenantId, userId, [courseId]));
    return {
      title: summary.title,
      dueOn: summary.dueOn,
      answered: summary.exercisesAnswered,
      total: summary.exercisesTotal,
    };
  }
}
