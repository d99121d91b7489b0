import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AiReport } from '@rehearse/shared/contracts';
import { NO_RECORDING, type RecordingSummaryRow } from '@rehearse/server/courses';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';
import type { Queryable } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import type { AnswerRow } from './answers';

const ANSWER_SELECT = `SELECT a.id, a.tenant_id, a.user_id, a.course_id, a.exercise_id, a.attempt, a.answer_type, a.text_answer, a.submitted_at,
       v.version, v.content
  FROM answers a
  JOIN course_versions v ON v.id = a.course_version_id`;

/** An answer as the feedback views read it, before the access core's relations are added. */
export type AnswerViewRow = Omit<AnswerRow, 'exercise' | 'is_owner' | 'is_coach' | 'is_admin' | 'is_peer'>;

/** One attempt at an exercise of a course, with its published totals by source and the AI's report. */
export interface AttemptRow {
  id: string;
  exercise_id: string;
  attempt: number;
  submitted_at: Date;
  content: AnswerRow['content'];
  coach: number | null;
  self: number | null;
  peer: number | null;
  report: AiReport | null;
}

/**
 * The feedback views' read model of answers: an answer with its course version, owner and
 * recording, and a person's attempts in a course (SQL across the courses and feedback tables; the
 * owner's name from accounts' directory, the recording and the AI coach's report from recordings').
 * Each method takes the tenant first.
 */
@Injectable()
export class AnswerViewsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
    private readonly recordings: AnswerRecordingsRepository,
  ) {}

  /** The answer in the organisation with its owner's name (the access core has already decided the actor may see it). */
  async answer(tenantId: string, answerId: string, m: Queryable = this.db): Promise<AnswerViewRow | undefined> {
    const [row] = (await m.query(`${ANSWER_SELECT} WHERE a.id = $1 AND a.tenant_id = $2`, [
      answerId,
      tenantId,
    ])) as Omit<AnswerViewRow, 'owner_name' | keyof RecordingSummaryRow>[];
    if (!row) return undefined;
    const names = await this.people.names(tenantId, [row.user_id], m);
    const recording = (await this.recordings.ofAnswers(tenantId, [row.id], m)).get(row.id) ?? NO_RECORDING;
    return { ...row, ...recording, owner_name: names.get(row.user_id) ?? '' };
  }

  /** Every attempt of the person in the course, in attempt order. */
  async attempts(tenantId: string, userId: string, courseId: string, m: Queryable = this.db): Promise<AttemptRow[]> {
    const found = (await m.query(
      `SELECT a.id, a.exercise_id, a.attempt, a.submitted_at, v.content,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'coach') AS coach,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'self') AS self,
              (SELECT avg(total)::real FROM reviews r WHERE r.answer_id = a.id AND r.state = 'published' AND r.source = 'peer') AS peer
         FROM answers a JOIN course_versions v ON v.id = a.course_version_id
        WHERE a.user_id = $1 AND a.course_id = $2 AND a.tenant_id = $3 ORDER BY a.attempt, a.submitted_at`,
      [userId, courseId, tenantId],
    )) as Omit<AttemptRow, 'report'>[];
    const reports = await this.recordings.aiReportsOfAnswers(
      tenantId,
      found.map((a) => a.id),
      m,
    );
    return found.map((a) => ({ ...a, report: reports.get(a.id) ?? null }));
  }
}
