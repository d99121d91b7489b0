import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { DataSource, EntityManager } from 'typeorm';
import type { RecordingStatus } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { isTemporaryFailure, WorkFolder } from '@rehearse/server/core';
import { BLOB_STORE, BlobStore, SealedObjects } from '@rehearse/server/storage';
import { IntakeRules, PreparedMedia, prepareMedia } from './media-intake';
import { UploadStaging } from './upload-staging';
import { RecordingsRepository } from './recordings.repository';

/**
 * A finished upload becoming a stored recording, whatever it is for: taken from staging, checked
 * by its content, sealed into the store under a server-made key, its row written in one
 * transaction with what the caller adds, and nothing left behind when anything fails.
 */
@Injectable()
export class UploadIntake {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly sealed: SealedObjects,
    private readonly staging: UploadStaging,
    private readonly access: AccessService,
    private readonly work: WorkFolder,
    private readonly recordings: RecordingsRepository,
  ) {}

  /**
   * The common path of every upload: the staged file is checked with `rules`, sealed into the
   * store, and its row inserted in a transaction with what `row` adds (an answer, say). If the
   * transaction fails the stored object is deleted. The work files always go; the staged upload
   * goes once stored or refused, and stays to be submitted again when the server could not take it
   * for now (object storage, PostgreSQL or the disk: `isTemporaryFailure`), so nothing has to be sent twice.
   */
  async store<
    T extends { answerId: string | null; courseId: string; exerciseId: string | null; status: RecordingStatus },
  >(
    actor: Actor,
    uploadId: string,
    purpose: 'answer' | 'prompt',
    rules: () => Promise<IntakeRules>,
    row: (m: EntityManager) => Promise<T>,
  ): Promise<T & { recordingId: string; media: PreparedMedia }> {
    const tenantId = this.access.tenantOf(actor, 'Course');
    const staged = await this.staging.take(actor, uploadId, purpose);
    let keep = false;
    try {
      const media = await prepareMedia(staged.path, await rules(), this.work);
      try {
        const id = randomUUID();
        const key = `tenants/${tenantId}/${purpose === 'answer' ? 'recordings' : 'prompts'}/${id}`;
        // a participant's answer is sealed under their own key (destroyed when they are forgotten); prompts under the tenant's
        const envelope = await this.sealed.put(
          { tenantId, key, ownerId: purpose === 'answer' ? actor.userId : null },
          createReadStream(media.path),
          media.size,
        );
        try {
          const extra = await this.db.transaction(async (m) => {
            const r = await row(m);
            await this.recordings.insert(
              tenantId,
              {
                id,
                ownerId: actor.userId,
                purpose,
                answerId: r.answerId,
                courseId: r.courseId,
                exerciseId: r.exerciseId,
                objectKey: key,
                envelope,
                container: media.container,
                contentType: media.contentType,
                sizeBytes: media.size,
                durationSeconds: media.info.durationSeconds,
                hasVideo: media.info.hasVideo,
                originalName: staged.filename,
                status: r.status,
                uploadId,
              },
              m,
            );
            return r;
          });
          return { ...extra, recordingId: id, media };
        } catch (e) {
          await this.blobs.delete(key).catch(() => undefined);
          throw e;
        }
      } finally {
        await media.dispose();
      }
    } catch (e) {
      keep = isTemporaryFailure(e);
      throw e;
    } finally {
      if (keep) await this.staging.release(uploadId);
      else await this.staging.discard(uploadId, actor.userId);
    }
  }
}
