import { HttpStatus } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { MediaPurpose } from '@rehearse/shared/contracts';
import { AppError, AppConfig, notFound } from '@rehearse/server/core';
import type { Actor } from '@rehearse/server/access';

export const UPLOADS_PATH = '/api/uploads';
/** Upload ids are made here: 32 lower-case hex digits, nothing a path could be built from. */
export const UPLOAD_ID = /^[a-f0-9]{32}$/;

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

const notFoundTus = () => ({ status_code: 404, body: 'Not found\n' });

function checkedId(id: string): string {
  if (!UPLOAD_ID.test(id)) throw notFoundTus();
  return id;
}

/**
 * The file store, refusing any id that is not one the server made: whatever reaches it, nothing
 * outside the upload folder can be named (defence in depth behind the route's own check).
 */
class StagingFileStore extends FileStore {
  override create(upload: Upload) {
    checkedId(upload.id);
    return super.create(upload);
  }
  override remove(id: string) {
    return super.remove(checkedId(id));
  }
  override write(readable: Readable, id: string, offset: number) {
    return super.write(readable, checkedId(id), offset);
  }
  override getUpload(id: string) {
    return super.getUpload(checkedId(id));
  }
  override declareUploadLength(id: string, length: number) {
    return super.declareUploadLength(checkedId(id), length);
  }
}

/**
 * Resumable uploads (the tus protocol, @tus/server with its file store) staged in a private
 * directory until the uploader submits them. The server names every upload and records its
 * owner. The upload a request acts on comes only from the validated route parameter (never from
 * tus's own parsing of the URL, which takes the last segment of the whole URL, query included,
 * and decodes it); the owner is checked for every request (onIncomingRequest), creation included;
 * a method override is refused; the store accepts only ids of the server's own pattern.
 * Staged files are removed when submitted (accepted or refused) and expire after UPLOAD_EXPIRY_HOURS.
 */
export class UploadStaging {
  readonly store: FileStore;
  readonly server: Server;
  readonly directory: string;
  private readonly routed = new WeakMap<IncomingMessage, RoutedRequest>();

  constructor(config: AppConfig) {
    this.directory = resolve(config.UPLOAD_DIR);
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    this.store = new StagingFileStore({ directory: this.directory, expirationPeriodInMilliseconds: config.UPLOAD_EXPIRY_HOURS * 3600_000 });
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: this.store,
      relativeLocation: true,
      maxSize: config.UPLOAD_MAX_MB * 1024 * 1024,
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
        if (purpose !== 'answer' && purpose !== 'prompt') throw { status_code: 400, body: 'Upload-Metadata must name a purpose: answer or prompt\n' };
        if (purpose === 'answer' && !actor.permissions.has('courses.learn')) throw { status_code: 403, body: 'Only participants upload answers\n' };
        if (purpose === 'prompt' && !actor.permissions.has('courses.author')) throw { status_code: 403, body: 'Only content developers upload prompt media\n' };
        const filename = (upload.metadata?.['filename'] ?? '').replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 200);
        // owner and tenant come from the session, never from the client
        return { res, metadata: { purpose, filename, owner: actor.userId, tenant: actor.tenantId } };
      },
    });
  }

  /**
   * Hands a routed tus request to the tus server, after the owner check. `uploadId` is the
   * validated route parameter (absent for creation); `method` the routed method.
   */
  async handle(req: IncomingMessage, res: ServerResponse, actor: Actor, method: TusMethod, uploadId?: string): Promise<void> {
    if (METHOD_OVERRIDE_HEADERS.some((h) => req.headers[h] !== undefined)) {
      throw new AppError(HttpStatus.BAD_REQUEST, 'malformed_request', 'Method overrides are not accepted: send the method itself');
    }
    if (req.method !== method) throw notFound('Upload');
    if (uploadId !== undefined) await this.owned(actor, uploadId);
    this.routed.set(req, { actor, method, uploadId });
    await this.server.handle(req, res);
  }

  private async ownedBy(actor: Actor, uploadId: string): Promise<Upload | null> {
    if (!UPLOAD_ID.test(uploadId)) return null;
    const upload = await this.store.getUpload(uploadId).catch(() => null);
    if (!upload || upload.metadata?.['owner'] !== actor.userId || upload.metadata?.['tenant'] !== actor.tenantId) return null;
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
    if (upload.metadata?.['purpose'] !== purpose) throw new AppError(HttpStatus.CONFLICT, 'conflict', `This upload was made for ${upload.metadata?.['purpose'] ?? 'another'} use`);
    if (upload.size === undefined || upload.offset !== upload.size) {
      throw new AppError(HttpStatus.CONFLICT, 'conflict', `The upload is not complete (${upload.offset} of ${upload.size ?? '?'} bytes): resume it first`, undefined, undefined, 'incomplete');
    }
    return { id: upload.id, path: join(this.directory, upload.id), size: upload.size, purpose, filename: upload.metadata?.['filename'] || null };
  }

  /** Removes a staged upload and its metadata (after it was stored or refused). */
  async discard(uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return;
    await this.store.remove(uploadId).catch(() => undefined);
  }

  /** Removes uploads left unfinished past their expiry; returns how many. */
  async cleanUpExpired(): Promise<number> {
    return this.server.cleanUpExpiredUploads();
  }
}
