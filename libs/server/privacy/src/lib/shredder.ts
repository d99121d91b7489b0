import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { DataSource, EntityManager } from 'typeorm';
import { QUEUES, ReceiptKind, transcribeJobId } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import { BLOB_STORE, BlobStore } from '@rehearse/server/storage';

/** What one deletion removed: counts per kind, and each object with the store's confirmation that it is gone. */
export interface Shredded {
  counts: Record<string, number>;
  objects: { key: string; verified: boolean }[];
}

export function mergeShredded(a: Shredded, b: Shredded): Shredded {
  const counts = { ...a.counts };
  for (const [k, v] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + v;
  return { counts, objects: [...a.objects, ...b.objects] };
}

/**
 * Removes stored objects and proves it: deletes each key, then asks the store whether it is still
 * there, and writes a receipt that outlives what it describes.
 */
@Injectable()
export class Shredder {
  private readonly logger = new Logger(Shredder.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    @InjectQueue(QUEUES.media) private readonly media: Queue,
    @InjectQueue(QUEUES.mail) private readonly mail: Queue,
    private readonly clock: Clock,
  ) {}

  /** Deletes the objects and checks each one is gone. */
  async deleteObjects(keys: string[]): Promise<{ key: string; verified: boolean }[]> {
    const out: { key: string; verified: boolean }[] = [];
    for (const key of keys) {
      try {
        await this.store.delete(key);
        out.push({ key, verified: (await this.store.stat(key)) === null });
      } catch (e) {
        this.logger.warn(`could not delete object ${key}: ${(e as Error).message}`);
        out.push({ key, verified: false });
      }
    }
    return out;
  }

  /** Drops queued transcription jobs of these recordings (a job that runs anyway finds the recording deleted and skips). */
  async dropJobs(recordingIds: string[]): Promise<number> {
    let n = 0;
    for (const id of recordingIds) {
      const job = await this.media.getJob(transcribeJobId(id)).catch(() => null);
      if (job && !(await job.isActive())) {
        await job.remove().catch(() => undefined);
        n += 1;
      }
    }
    return n;
  }

  /** Removes waiting, delayed, failed and paused jobs of both queues whose payload names any of `ids`. */
  async dropJobsNaming(ids: Set<string>): Promise<number> {
    let n = 0;
    for (const queue of [this.mail, this.media]) {
      const jobs: Job[] = await queue.getJobs(['waiting', 'delayed', 'failed', 'paused']);
      for (const job of jobs) {
        const named = Object.values((job?.data ?? {}) as Record<string, unknown>).filter(
          (v): v is string => typeof v === 'string',
        );
        if (named.some((v) => ids.has(v))) {
          await job.remove().catch((e: Error) => this.logger.warn(`could not remove job ${job.id}: ${e.message}`));
          n += 1;
        }
      }
    }
    return n;
  }

  /**
   * A user's answer recordings after their licence expired: in one transaction the data keys (the
   * envelopes), transcripts with their words, passages and search entries, and the AI reports go,
   * and each recording is marked deleted; then the objects are deleted and checked.
   */
  async shredRecordingsOf(userId: string): Promise<Shredded> {
    const rows: { id: string; object_key: string }[] = await this.db.transaction(async (m) => {
      const recs: { id: string; object_key: string }[] = await m.query(
        `SELECT id, object_key FROM recordings WHERE owner_id = $1 AND purpose = 'answer' AND status <> 'deleted' FOR UPDATE`,
        [userId],
      );
      await this.shredRows(
        m,
        recs.map((r) => r.id),
      );
      return recs;
    });
    const jobs = await this.dropJobs(rows.map((r) => r.id));
    const objects = await this.deleteObjects(rows.map((r) => r.object_key));
    return { counts: { recordings: rows.length, transcripts: rows.length, queuedJobs: jobs }, objects };
  }

  private async shredRows(m: EntityManager, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await m.query(`DELETE FROM transcripts WHERE recording_id = ANY($1::uuid[])`, [ids]);
    await m.query(`DELETE FROM ai_reports WHERE recording_id = ANY($1::uuid[])`, [ids]);
    await m.query(
      `UPDATE recordings SET status = 'deleted', envelope = NULL, deleted_at = $2, updated_at = $2 WHERE id = ANY($1::uuid[])`,
      [ids, this.clock.now()],
    );
  }

  /** Writes the receipt; `verified` only when the store confirmed every object gone. */
  async receipt(
    kind: ReceiptKind,
    tenantId: string | null,
    subjectId: string,
    shredded: Shredded,
    by?: { userId: string; reason?: string },
  ): Promise<string> {
    const verified = shredded.objects.every((o) => o.verified);
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO deletion_receipts (tenant_id, kind, subject_id, requested_by, reason, created_at, verified, counts, objects) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
      [
        tenantId,
        kind,
        subjectId,
        by?.userId ?? null,
        by?.reason ?? null,
        this.clock.now(),
        verified,
        JSON.stringify(shredded.counts),
        JSON.stringify(shredded.objects),
      ],
    );
    if (!verified)
      this.logger.error(
        `deletion ${row.id} (${kind} of ${subjectId}) left objects behind: ${shredded.objects
          .filter((o) => !o.verified)
          .map((o) => o.key)
          .join(', ')}`,
      );
    return row.id;
  }
}
