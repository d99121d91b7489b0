import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { HttpStatus, Logger } from '@nestjs/common';
import { S3Store } from '@tus/s3-store';
import { Server } from '@tus/server';
import type { DataStore, Upload } from '@tus/utils';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rm, statfs } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { MediaPurpose } from '@rehearse/shared/contracts';
import {
  AppError,
  AppConfig,
  isOutOfSpace,
  isServiceUnavailable,
  OUT_OF_SPACE_MESSAGE,
  notFound,
  UNAVAILABLE_MESSAGE,
  WorkFolder,
} from '@rehearse/server/core';
import type { Actor } from '@rehearse/server/access';
import { s3ClientConfig, s3ClientFrom } from '@rehearse/server/storage';
import { isNotFoundTus, notFoundTus, S3_PART_BYTES, StagingFileStore, StagingS3Store, UPLOAD_ID } from './tus-stores';
import { JsonRefusingServer } from './tus-server';
import type { UploadLedger } from './upload-ledger';

export const UPLOADS_PATH = '/api/uploads';

export interface StagedUpload {
  id: string;
  path: string;
  size: number;
  purpose: MediaPurpose;
  filename: string | null;
}

/** The tus methods the API routes; GET (download of a staged file) and OPTIONS are not routed. */
export type TusMethod = 'POST' | 'HEAD' | 'PATCH' | 'DELETE';

/** Headers that would make a server (tus included) act on another method than the one routed. */
export const METHOD_OVERRIDE_HEADERS = ['x-http-method-override', 'x-http-method', 'x-method-override'];

interface RoutedRequest {
  actor: Actor;
  method: TusMethod;
  /** the validated route parameter; undefined for creation (POST) */
  uploadId?: string;
}

/** the tus protocol version the uploads speak */
const TUS_VERSION = '1.0.0';

/** what a request for a tus extension this server does not offer (Upload-Concat, Upload-Defer-Length) is told */
const UNOFFERED_EXTENSION =
  'Send each recording as one upload whose length is given in Upload-Length: concatenated uploads (Upload-Concat) and uploads of a length given later (Upload-Defer-Length) are not taken here\n';

/**
 * Whether the staging folder's disk keeps `reserve` bytes free after an upload of `size` bytes:
 * staged uploads must not take the space the database and the stored recordings need.
 */
export async function roomFor(directory: string, size: number, reserve: number): Promise<boolean> {
  const disk = await statfs(directory);
  return disk.bavail * disk.bsize - size >= reserve;
}

const busy = () =>
  new AppError(
    HttpStatus.CONFLICT,
    'conflict',
    'This upload is being submitted or removed by another request: wait for it to finish',
  );

/**
 * Resumable uploads (the tus protocol, @tus/server) staged until the uploader submits them:
 * in a private directory (UPLOAD_STAGING=local, @tus/file-store) or in a bucket of the shared S3
 * service (UPLOAD_STAGING=s3, @tus/s3-store: each chunk a part of a multipart upload), so that
 * with several API replicas any of them can take any chunk and the submission. The server names every upload and records its
 * owner. The upload a request acts on comes only from the validated route parameter (never from
 * tus's own parsing of the URL, which takes the last segment of the whole URL, query included,
 * and decodes it); the owner is checked for every request (onIncomingRequest), creation included;
 * a method override is refused; the store accepts only ids of the server's own pattern.
 * Staged files are removed when submitted (accepted or refused) and expire after UPLOAD_EXPIRY_HOURS.
 */
export class UploadStaging {
  readonly store: DataStore;
  readonly server: Server;
  /** the staging folder (UPLOAD_STAGING=local) */
  readonly directory: string | null = null;
  /** the staging bucket (UPLOAD_STAGING=s3) */
  private readonly s3: { client: S3Client; bucket: string } | null = null;
  private readonly expiryMs: number;
  private readonly maxBytes: number;
  /** uploads a person may have open at once */
  private readonly maxOpen: number;
  /** bytes the staging disk keeps free */
  private readonly reserveBytes: number;
  private readonly routed = new WeakMap<IncomingMessage, RoutedRequest>();
  private readonly logger = new Logger('Uploads');
  /** local copies of uploads staged in S3, being checked and stored (upload id → folder) */
  private readonly fetched = new Map<string, string>();

  constructor(
    config: AppConfig,
    private readonly work: WorkFolder,
    private readonly ledger: UploadLedger,
  ) {
    this.expiryMs = config.UPLOAD_EXPIRY_HOURS * 3600_000;
    this.maxBytes = config.UPLOAD_MAX_MB * 1024 * 1024;
    this.maxOpen = config.UPLOAD_MAX_OPEN;
    this.reserveBytes = config.UPLOAD_RESERVE_MB * 1024 * 1024;
    if (config.UPLOAD_STAGING === 's3') {
      this.s3 = { client: s3ClientFrom(config), bucket: config.UPLOAD_BUCKET };
      this.store = new StagingS3Store({
        partSize: S3_PART_BYTES,
        expirationPeriodInMilliseconds: this.expiryMs,
        s3ClientConfig: { bucket: config.UPLOAD_BUCKET, ...s3ClientConfig(config) },
      });
    } else {
      this.directory = resolve(config.UPLOAD_DIR);
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      this.store = new StagingFileStore({ directory: this.directory, expirationPeriodInMilliseconds: this.expiryMs });
    }
    this.server = new JsonRefusingServer({
      path: UPLOADS_PATH,
      // tus answers with CORS headers: the web app's own origin only (by default any Origin is echoed)
      allowedOrigins: [new URL(config.PUBLIC_URL).origin],
      datastore: this.store,
      relativeLocation: true,
      maxSize: this.maxBytes,
      namingFunction: () => randomBytes(16).toString('hex'),
      getFileIdFromRequest: (req) => this.routed.get(req)?.uploadId,
      onIncomingRequest: async (req, _res, id) => {
        const routed = this.routed.get(req);
        if (!routed || req.method !== routed.method || !UPLOAD_ID.test(id)) throw notFoundTus();
        if (routed.method === 'POST') {
          if (routed.uploadId !== undefined) throw notFoundTus();
          if (!routed.actor.tenantId || !routed.actor.permissions.has('media.upload')) throw notFoundTus();
          return;
        }
        if (id !== routed.uploadId || !(await this.ownedBy(routed.actor, id))) throw notFoundTus();
      },
      onUploadCreate: async (req, res, upload) => {
        const actor = this.routed.get(req)?.actor;
        if (!actor?.tenantId) throw notFoundTus();
        const purpose = upload.metadata?.['purpose'];
        if (purpose !== 'answer' && purpose !== 'prompt')
          throw { status_code: 400, body: 'Upload-Metadata must name a purpose: answer or prompt\n' };
        if (purpose === 'answer' && !actor.permissions.has('courses.learn'))
          throw { status_code: 403, body: 'Only participants upload answers\n' };
        if (purpose === 'prompt' && !actor.permissions.has('courses.author'))
          throw { status_code: 403, body: 'Only content developers upload prompt media\n' };
        // room on the staging disk for all of it, and a reserve left for everything else
        if (
          this.directory !== null &&
          !(await roomFor(this.directory, upload.size ?? this.maxBytes, this.reserveBytes))
        ) {
          this.logger.error(`the upload folder ${this.directory} is short of space: an upload was refused`);
          throw { status_code: 507, body: 'The server is short of disk space for uploads just now; try again later\n' };
        }
        if ((await this.ledger.open(actor.userId, upload.id, Date.now() + this.expiryMs)) > this.maxOpen) {
          await this.ledger.close(actor.userId, upload.id);
          throw {
            status_code: 429,
            body: 'You have too many unfinished uploads: finish or cancel one before you start another\n',
          };
        }
        const filename = (upload.metadata?.['filename'] ?? '').replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200);
        // owner and tenant come from the session, never from the client
        return { res, metadata: { purpose, filename, owner: actor.userId, tenant: actor.tenantId } };
      },
      // a handler's refusal as it is (JsonRefusingServer.write makes it the JSON error body); a 5xx logged
      onResponseError: (_req, _res, err) => {
        const refusal =
          'status_code' in err
            ? // a tus extension this server does not offer, asked for by the client's headers: tus
              // answers 501, a server error; it is the request that cannot be served (400)
              err.status_code === 501
              ? { status_code: 400, body: UNOFFERED_EXTENSION }
              : err
            : isServiceUnavailable(err)
              ? { status_code: 503, body: UNAVAILABLE_MESSAGE }
              : isOutOfSpace(err)
                ? { status_code: 507, body: OUT_OF_SPACE_MESSAGE }
                : { status_code: 500, body: 'Something went wrong on our side' };
        if (refusal.status_code >= 500) this.logger.error({ err }, 'Upload failed');
        return refusal;
      },
    });
  }

  /**
   * Hands a routed tus request to the tus server, after the owner check. `uploadId` is the
   * validated route parameter (absent for creation); `method` the routed method.
   */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    actor: Actor,
    method: TusMethod,
    uploadId?: string,
  ): Promise<void> {
    if (METHOD_OVERRIDE_HEADERS.some((h) => req.headers[h] !== undefined)) {
      throw new AppError(
        HttpStatus.BAD_REQUEST,
        'malformed_request',
        'Method overrides are not accepted: send the method itself',
      );
    }
    if (req.method !== method) throw notFound('Upload');
    // (tus answers a missing header itself, in plain text, before any hook of ours)
    if (req.headers['tus-resumable'] !== TUS_VERSION)
      throw new AppError(
        HttpStatus.PRECONDITION_FAILED,
        'malformed_request',
        'This is a tus 1.0.0 upload: send the Tus-Resumable: 1.0.0 header',
      );
    // a length given later: tus's stores take it (the upload then runs to UPLOAD_MAX_MB before it is
    // refused, its room on the disk unknown at its start, and a submission finds it without an end);
    // this server promises one length, given at the start, and says so (the web app gives it)
    if (method === 'POST' && req.headers['upload-defer-length'] !== undefined)
      throw new AppError(HttpStatus.BAD_REQUEST, 'malformed_request', UNOFFERED_EXTENSION.trim());
    // (tus answers a missing offset 403, and a length sent with a part "Upload-Length or
    // Upload-Defer-Length header required": it is the request that is malformed, and it is told how)
    if (method === 'PATCH' && req.headers['upload-offset'] === undefined)
      throw new AppError(
        HttpStatus.BAD_REQUEST,
        'malformed_request',
        'Send Upload-Offset with each part: where it starts (HEAD says how much has arrived)',
      );
    if (method === 'PATCH' && req.headers['upload-length'] !== undefined)
      throw new AppError(
        HttpStatus.BAD_REQUEST,
        'malformed_request',
        'The length of an upload is given once, in Upload-Length when it is started: send its parts without it',
      );
    // (tus answers another type 400 and none 403; it is the type that is wrong)
    if (method === 'PATCH' && req.headers['content-type'] !== 'application/offset+octet-stream')
      throw new AppError(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'unsupported_media_type',
        'Send the bytes of an upload as Content-Type: application/offset+octet-stream',
      );
    if (uploadId !== undefined) await this.owned(actor, uploadId);
    this.routed.set(req, { actor, method, uploadId });
    if (method !== 'DELETE' || uploadId === undefined) {
      await this.server.handle(req, res);
      return;
    }
    // not from under a submission of it
    if (!(await this.ledger.claim(uploadId))) throw busy();
    try {
      await this.server.handle(req, res);
      if (res.statusCode === 204) await this.ledger.close(actor.userId, uploadId);
    } finally {
      await this.ledger.release(uploadId);
    }
  }

  private async ownedBy(actor: Actor, uploadId: string): Promise<Upload | null> {
    if (!UPLOAD_ID.test(uploadId)) return null;
    const upload = await this.store.getUpload(uploadId).catch(() => null);
    if (!upload || upload.metadata?.['owner'] !== actor.userId || upload.metadata?.['tenant'] !== actor.tenantId)
      return null;
    return upload;
  }

  private async owned(actor: Actor, uploadId: string): Promise<Upload> {
    const upload = await this.ownedBy(actor, uploadId);
    if (!upload) throw notFound('Upload');
    return upload;
  }

  /** A finished upload of this actor, ready to be checked and stored. */
  async take(actor: Actor, uploadId: string, purpose: MediaPurpose): Promise<StagedUpload> {
    const upload = await this.owned(actor, uploadId);
    if (upload.metadata?.['purpose'] !== purpose)
      throw new AppError(
        HttpStatus.CONFLICT,
        'conflict',
        `This upload was made for ${upload.metadata?.['purpose'] ?? 'another'} use`,
      );
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new AppError(
        HttpStatus.CONFLICT,
        'conflict',
        `The upload is not complete (${upload.offset} of ${upload.size ?? '?'} bytes): resume it first`,
        undefined,
        undefined,
        'incomplete',
      );
    }
    // held until discard(): one submission of an upload at a time
    if (!(await this.ledger.claim(upload.id))) throw busy();
    try {
      return {
        id: upload.id,
        path: await this.localPath(upload.id),
        size: upload.size,
        purpose,
        filename: upload.metadata?.['filename'] || null,
      };
    } catch (e) {
      await this.ledger.release(upload.id);
      throw e;
    }
  }

  /** The staged file on this host's disk: the staging folder's, or a private copy of the S3 object in the work folder. */
  private async localPath(uploadId: string): Promise<string> {
    if (this.directory !== null) return join(this.directory, uploadId);
    const dir = await this.work.create('staged');
    this.fetched.set(uploadId, dir);
    const path = join(dir, 'upload');
    try {
      await pipeline(
        (await (this.store as S3Store).read(uploadId)) as Readable,
        createWriteStream(path, { mode: 0o600 }),
      );
    } catch (e) {
      await this.discardLocal(uploadId);
      // submitted and removed through another API process meanwhile (StagingS3Store.read)
      if (isNotFoundTus(e)) throw notFound('Upload');
      throw e;
    }
    return path;
  }

  private async discardLocal(uploadId: string): Promise<void> {
    const dir = this.fetched.get(uploadId);
    this.fetched.delete(uploadId);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /**
   * Gives a taken upload back, staged and open as it was (its submission failed for a reason of
   * the server's: it may be submitted again, without sending it again).
   */
  async release(uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return;
    try {
      await this.discardLocal(uploadId);
    } finally {
      await this.ledger.release(uploadId);
    }
  }

  /** Removes a staged upload and its metadata (after it was stored or refused); no longer open for its owner. */
  async discard(uploadId: string, ownerId?: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return;
    try {
      await this.remove(uploadId);
    } finally {
      if (ownerId !== undefined) await this.ledger.close(ownerId, uploadId);
      await this.ledger.release(uploadId);
    }
  }

  private async remove(uploadId: string): Promise<void> {
    if (!this.s3) {
      await this.store.remove(uploadId).catch(() => undefined);
      return;
    }
    await this.discardLocal(uploadId);
    // the object, its metadata and any part left (StagingS3Store.remove); one already gone is a 404
    await this.store.remove(uploadId).catch((e: unknown) => {
      if (!isNotFoundTus(e)) throw e;
    });
  }

  /** Makes the staging bucket when it is missing (UPLOAD_STAGING=s3); nothing to do for a folder. */
  async ready(): Promise<void> {
    if (!this.s3) return;
    const { client, bucket } = this.s3;
    try {
      await client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 404) throw e;
      await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
        // another replica made it in the meantime
        if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
      });
    }
  }

  /**
   * Removes uploads left past their expiry; returns how many. In S3 the staging bucket is the
   * uploads' alone: besides unfinished multipart uploads, finished uploads never submitted go too.
   */
  async cleanUpExpired(): Promise<number> {
    let removed = await this.server.cleanUpExpiredUploads();
    if (!this.s3) return removed;
    const { client, bucket } = this.s3;
    const before = Date.now() - this.expiryMs;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      const old = (page.Contents ?? []).filter((o) => o.Key && o.LastModified && o.LastModified.getTime() < before);
      if (old.length) {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: old.map((o) => ({ Key: o.Key as string })), Quiet: true },
          }),
        );
        removed += old.filter((o) => UPLOAD_ID.test(o.Key as string)).length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }
}
