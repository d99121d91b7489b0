import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AiReport } from '@rehearse/shared/contracts';
import { LearningRepository, NO_RECORDING } from '@rehearse/server/courses';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';
import type { Queryable } from '@rehearse/server/database';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import type { AnswerRow } from './answers';

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
 * recording, and a person's attempts in a course with their published totals. Its own SQL reads
 * feedback's reviews; the answers and versions are courses' to answer, the owner's name accounts',
 * the recording and the AI coach's report recordings'. Each method takes the tenant first.
 */
@Injectable()
export class AnswerViewsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly people: PeopleDirectoryRepository,
    private readonly recordings: AnswerRecordingsRepository,
    private readonly learning: LearningRepository,
  ) {}

  /** The answer in the organisation with its owner's name (the access core has already decided the actor may see it). */
  async answer(tenantId: string, answerId: string, m: Queryable = this.db): Promise<AnswerViewRow | undefined> {
    const row = await this.learning.answerWithVersion(tenantId, answerId, m);
    if (!row) return undefined;
    const names = await this.people.names(tenantId, [row.user_id], m);
    const recording = (await this.recordings.ofAnswers(tenantId, [row.id], m)).get(row.id) ?? NO_RECORDING;
    return { ...row, ...recording, owner_name: names.get(row.user_id) ?? '' };
  }

  /** Every attempt of the person in the course, in attempt order. */
  async attempts(tenantId: string, userId: string, courseId: string, m: Queryable = this.db): Promise<AttemptRow[]> {
    const found = await this.learning.attemptsIn(tenantId, userId, courseId, m);
    const ids = found.map((a) => a.id);
    // the mean published total of each answer by source
    const totals = (await m.query(
      `SELECT r.answer_id, r.source, avg(r.total)::real AS mean
         FROM reviews r
        WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2 AND r.state = 'published'
        GROUP BY r.answer_id, r.source`,
      [ids, tenantId],
    )) as { answer_id: string; source: 'coach' | 'self' | 'peer'; mean: number | null }[];
    const means = new Map(totals.map((t) => [`${t.answer_id}:${t.source}`, t.mean]));
    const mean = (answerId: string, source: string) => means.get(`${answerId}:${source}`) ?? null;
    const reports = await this.recordings.aiReportsOfAnswers(tenantId, ids, m);
    return found.map((a) => ({
      ...a,
      coach: mean(a.id, 'coach'),
      self: mean(a.id, 'self'),
      peer: mean(a.id, 'peer'),
      report: reports.get(a.id) ?? null,
    }));
  }
}
