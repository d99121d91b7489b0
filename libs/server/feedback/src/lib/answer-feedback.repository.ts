import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnswerFeedback, type PublishedOnAnswer } from '@rehearse/server/courses';

/** Feedback's answer to courses (courses' `AnswerFeedback`): what was published on answers. */
@Injectable()
export class AnswerFeedbackRepository extends AnswerFeedback {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async recentlyPublished(tenantId: string, answerIds: readonly string[], limit: number): Promise<PublishedOnAnswer[]> {
    if (!answerIds.length) return [];
    return (await this.db.query(
      `SELECT r.answer_id, r.source, r.published_at
         FROM reviews r
        WHERE r.answer_id = ANY($1::uuid[]) AND r.tenant_id = $2 AND r.state = 'published' AND r.source IN ('coach', 'peer')
        ORDER BY r.published_at DESC, r.id LIMIT $3`,
      [[...new Set(answerIds)], tenantId, limit],
    )) as PublishedOnAnswer[];
  }
}
