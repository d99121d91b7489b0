import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AiReport } from '@rehearse/shared/contracts';
import { AnswerRecordings, type RecordingSummaryRow } from '@rehearse/server/courses';
import type { Queryable } from '@rehearse/server/database';
import { RECORDING_SUMMARY_COLUMNS } from './recordings.common';

/**
 * Answers' recordings as other libraries show them beside the answer: courses' `AnswerRecordings`
 * (an answer's recording, prompt media) and feedback's views (the AI coach's report of each answer).
 */
@Injectable()
export class AnswerRecordingsRepository extends AnswerRecordings {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async ofAnswers(
    tenantId: string,
    answerIds: readonly string[],
    m: Queryable = this.db,
  ): Promise<Map<string, RecordingSummaryRow>> {
    if (!answerIds.length) return new Map();
    const found = (await m.query(
      `SELECT r.answer_id, ${RECORDING_SUMMARY_COLUMNS}
         FROM recordings r LEFT JOIN transcripts t ON t.recording_id = r.id
        WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2 AND r.purpose = 'answer'`,
      [[...new Set(answerIds)], tenantId],
    )) as (RecordingSummaryRow & { answer_id: string })[];
    return new Map(found.map(({ answer_id, ...r }) => [answer_id, r]));
  }

  async promptMedia(tenantId: string, ids: readonly string[], m: Queryable = this.db): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = (await m.query(
      `SELECT id FROM recordings WHERE tenant_id = $1 AND purpose = 'prompt' AND id = ANY($2::uuid[])`,
      [tenantId, [...new Set(ids)]],
    )) as { id: string }[];
    return new Set(found.map((r) => r.id));
  }

  /** The AI coach's report of each answer, by answer id, in the organisation (answers without one left out). */
  async aiReportsOfAnswers(
    tenantId: string,
    answerIds: readonly string[],
    m: Queryable = this.db,
  ): Promise<Map<string, AiReport>> {
    if (!answerIds.length) return new Map();
    const found = (await m.query(
      `SELECT r.answer_id, ar.report
         FROM recordings r JOIN ai_reports ar ON ar.recording_id = r.id
        WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2 AND r.purpose = 'answer'`,
      [[...new Set(answerIds)], tenantId],
    )) as { answer_id: string; report: AiReport }[];
    return new Map(found.map((r) => [r.answer_id, r.report]));
  }
}
