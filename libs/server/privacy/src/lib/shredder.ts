import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import type { Job, Queue } from 'bull';
import { DataSource, EntityManager } from 'typeorm';
import { QUEUES, ReceiptKind, transcribeJobId } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import { RecordingsRepository } from '@rehearse/server/recordings';
import { BLOB_STORE, BlobStore } from '@rehearse/server/storage';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { ReceiptSeals } from './receipt-seals';

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
    private readonly recordings: RecordingsRepository,
    private readonly receipts: DeletionReceiptsRepository,
    private readonly seals: ReceiptSeals,
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
   * and each recording is marked deleted; then the objects are deleted and checked. `stillDue`, asked
   * first in that transaction, may call it off (undefined: nothing deleted).
   */
  async shredRecordingsOf(
    tenantId: string,
    userId: string,
    stillDue?: (m: EntityManager) => Promise<boolean>,
  ): Promise<Shredded | undefined> {
    const rows = await this.db.transaction(async (m) => {
      // asked again here, under its locks: what decided the deletion may have changed since
      if (stillDue && !(await stillDue(m))) return undefined;
      const recs = await this.recordings.lockAnswerRecordingsOf(tenantId, userId, m);
      await this.recordings.shred(
        tenantId,
        recs.map((r) => r.id),
        this.clock.now(),
        m,
      );
      return recs;
    });
    if (!rows) return undefined;
    const jobs = await this.dropJobs(rows.map((r) => r.id));
    const objects = await this.deleteObjects(rows.map((r) => r.object_key));
    return { counts: { recordings: rows.length, transcripts: rows.length, queuedJobs: jobs }, objects };
  }

  /**
   * Deletes again the objects earlier deletions could not confirm gone (object storage away then,
   * say; what is left is ciphertext whose key went with the deletion), and records on each receipt
   * what the store confirms now, every such receipt a page at a time (one whose objects stay
   * refused does not hold back the others). Returns how many receipts became verified.
   */
  async finishUnverified(pageSize = 100): Promise<number> {
    let done = 0;
    for (
      let page = await this.receipts.unverified(pageSize);
      page.length;
      page = page.length < pageSize ? [] : await this.receipts.unverified(pageSize, page[page.length - 1])
    )
      for (const r of page) {
        const left = r.objects.filter((o) => !o.verified).map((o) => o.key);
        const now = new Map((await this.deleteObjects(left)).map((o) => [o.key, o.verified]));
        const objects = r.objects.map((o) => (o.verified ? o : { key: o.key, verified: now.get(o.key) ?? false }));
        await this.receipts.confirm(r.id, objects);
        // signed again: the receipt now says what the store confirmed
        await this.seals.seal(r.id);
        if (objects.every((o) => o.verified)) {
          done += 1;
          this.logger.log(`deletion ${r.id}: the objects left behind are gone now`);
        }
      }
    return done;
  }

  /**
   * Writes the receipt, signed (ReceiptSeals); `verified` only when the store confirmed every object gone. A destroyed
   * organisation's report names it (`organisation`); a person's receipt never names them.
   */
  async receipt(
    kind: ReceiptKind,
    tenantId: string | null,
    subjectId: string,
    shredded: Shredded,
    by?: { userId: string | null; reason?: string },
    organisation?: { name: string; slug: string },
  ): Promise<string> {
    const verified = shredded.objects.every((o) => o.verified);
    const id = await this.receipts.insert(tenantId, {
      kind,
      subjectId,
      requestedBy: by?.userId ?? null,
      reason: by?.reason ?? null,
      at: this.clock.now(),
      verified,
      counts: shredded.counts,
      objects: shredded.objects,
      organisation,
    });
    await this.seals.seal(id);
    if (!verified)
      this.logger.error(
        `deletion ${id} (${kind} of ${subjectId}) left objects behind: ${shredded.objects
          .filter((o) => !o.verified)
          .map((o) => o.key)
          .join(', ')}`,
      );
    return id;
  }
}
