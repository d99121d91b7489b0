import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { ERRORS, type DataStore, type Upload } from '@tus/utils';
import type { Readable } from 'node:stream';

/** Upload ids are made here: 32 lower-case hex digits, nothing a path could be built from. */
export const UPLOAD_ID = /^[a-f0-9]{32}$/;

/** What tus answers for an upload that is not there, or not the requester's. */
export const notFoundTus = () => ({ status_code: 404, body: 'Upload not found\n' });

/** Whether a tus refusal (the store's or ours) says the upload is not there. */
export const isNotFoundTus = (e: unknown) => (e as { status_code?: number } | null)?.status_code === 404;

/** S3 multipart uploads take parts of at least 5 MiB (but the last); a chunk that is smaller waits in an object of its own. */
export const S3_PART_BYTES = 8 * 1024 * 1024;

export function checkedId(id: string): string {
  if (!UPLOAD_ID.test(id)) throw notFoundTus();
  return id;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must take any[] (TypeScript's rule)
type StoreClass = new (...args: any[]) => DataStore;

/**
 * A tus store refusing any id that is not one the server made: whatever reaches it, nothing
 * outside the upload folder or bucket can be named (defence in depth behind the route's own
 * check). Checked before the store is called, as a rejected promise like the store's own refusals.
 */
function refusingForeignIds<B extends StoreClass>(Base: B) {
  return class extends Base {
    override async create(upload: Upload) {
      checkedId(upload.id);
      return super.create(upload);
    }
    override async remove(id: string) {
      return super.remove(checkedId(id));
    }
    override async write(readable: Readable, id: string, offset: number) {
      return super.write(readable, checkedId(id), offset);
    }
    override async getUpload(id: string) {
      return super.getUpload(checkedId(id));
    }
    override async declareUploadLength(id: string, length: number) {
      return super.declareUploadLength(checkedId(id), length);
    }
  };
}

/** The staging folder's store (UPLOAD_STAGING=local). */
export const StagingFileStore = refusingForeignIds(FileStore);

/** The staging bucket's store (UPLOAD_STAGING=s3): each chunk a part of a multipart upload. */
export class StagingS3Store extends refusingForeignIds(S3Store) {
  /**
   * The bytes of a finished upload. Another API process may have stored and removed it since this
   * one read its metadata (which the tus store keeps in memory): then it is not found, not S3's error.
   */
  override async read(id: string) {
    try {
      return await super.read(checkedId(id));
    } catch (e) {
      if (!isGone(e)) throw e;
      await this.clearCache(id);
      throw ERRORS.FILE_NOT_FOUND;
    }
  }

  /**
   * An empty file: S3 refuses to complete a multipart upload of no parts, so a zero-length upload
   * is finished at once as an empty object (the submission then refuses it as empty, like a folder's).
   */
  override async create(upload: Upload) {
    const created = await super.create(upload);
    if (upload.size === 0) {
      const { 'upload-id': multipartId } = await this.getMetadata(upload.id);
      await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: upload.id, UploadId: multipartId });
      await this.client.putObject({ Bucket: this.bucket, Key: upload.id, Body: '' });
    }
    return created;
  }

  /**
   * Cancels an upload (tus's DELETE) or removes a submitted one. The tus store aborts the multipart
   * upload first and answers an error of S3's (a 500) when there is none: a finished upload's is
   * complete, and another API process may have removed the upload since this one read it. Its own
   * mapping of those errors to "not found" looks for a property the AWS SDK v3 does not set
   * (tus-node-server issue 856, fixed only in the ES-module line), and it leaves the object of a
   * last chunk under 5 MiB (`<id>.part`) behind. So: an upload with no metadata object is a 404,
   * and whatever is left of one is deleted, that object too.
   */
  override async remove(id: string) {
    checkedId(id);
    try {
      await super.remove(id);
    } catch (e) {
      if (!isGone(e)) throw e;
      await this.clearCache(id);
      try {
        await this.client.headObject({ Bucket: this.bucket, Key: this.infoKey(id) });
      } catch (missing) {
        if (isGone(missing)) throw ERRORS.FILE_NOT_FOUND;
        throw missing;
      }
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true },
    });
  }

  override async write(readable: Readable, id: string, offset: number) {
    const { file } = await this.getMetadata(checkedId(id));
    if (file.size === 0) {
      readable.resume(); // nothing to store: a PATCH of no bytes to an empty upload
      return 0;
    }
    return super.write(readable, id, offset);
  }
}

/** An S3 answer (or the tus store's own) that the upload, its multipart upload or an object of it is not there. */
function isGone(e: unknown): boolean {
  if (e === ERRORS.FILE_NOT_FOUND) return true;
  const { Code, name, $metadata } = (e ?? {}) as {
    Code?: string;
    name?: string;
    $metadata?: { httpStatusCode?: number };
  };
  return (
    ['NoSuchUpload', 'NoSuchKey', 'NotFound'].includes(Code ?? name ?? '') ||
    (name !== undefined && $metadata?.httpStatusCode === 404)
  );
}
