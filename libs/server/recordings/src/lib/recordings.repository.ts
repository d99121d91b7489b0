import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { rows, typed } from '@rehearse/server/database';

/** A recording's states after which no job waits for it. */
export const FINISHED_RECORDING_STATES = ['transcribed', 'failed', 'ready', 'deleted'] as const;

/**
 * The statements of recordings on `recordings`. The worker's sweep looks across organisations (it
 * serves them all), so `unfinishedAnswers` takes no tenant: it answers ids only, and each job
 * loads its recording with the recording's own tenant.
 */
@Injectable()
export class RecordingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Answer recordings not finished and untouched for `olderThanSeconds`, the longest waiting first. */
  async unfinishedAnswers(olderThanSeconds: number, limit = 500): Promise<string[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('recordings')
        .select('id')
        .where('purpose', '=', 'answer')
        .where('status', 'not in', FINISHED_RECORDING_STATES)
        .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
        .orderBy('updated_at')
        .limit(limit),
    );
    return found.map((r) => r.id);
  }
}
