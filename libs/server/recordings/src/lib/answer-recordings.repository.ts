import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnswerRecordings, type RecordingSummaryRow } from '@rehearse/server/courses';
import type { Queryable } from '@rehearse/server/database';
import { RECORDING_SUMMARY_COLUMNS } from './recordings.common';

/** Recordings' answers to courses (courses' `AnswerRecordings`): answers' recordings, prompt media. */
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
}
