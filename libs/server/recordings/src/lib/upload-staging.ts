import { HttpStatus } from '@nestjs/common';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { Upload } from '@tus/utils';
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

/**
 * Resumable uploads (the tus protocol, @tus/server with its file store) staged in a private
 * directory until the uploader submits them. The server names every upload and records its
 * owner; HEAD, PATCH and DELETE of someone else's upload answer 404. Staged files are removed
 * when submitted (accepted or refused) and expire after UPLOAD_EXPIRY_HOURS.
 */
export class UploadStaging {
  readonly store: FileStore;
  readonly server: Server;
  readonly directory: string;
  private readonly actors = new WeakMap<IncomingMessage, Actor>();

  constructor(config: AppConfig) {
    this.directory = resolve(config.UPLOAD_DIR);
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    this.store = new FileStore({ directory: this.directory, expirationPeriodInMilliseconds: config.UPLOAD_EXPIRY_HOURS * 3600_000 });
    this.server = new Server({
      path: UPLOADS_PATH,
      datastore: this.store,
      relativeLocation: true,
      maxSize: config.UPLOAD_MAX_MB * 1024 * 1024,
      namingFunction: () => randomBytes(16).toString('hex'),
      onUploadCreate: async (req, res, upload) => {
        const actor = this.actors.get(req);
        if (!actor?.tenantId) throw { status_code: 404, body: 'Not found\n' };
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

  /** Hands a tus request (POST, HEAD, PATCH, DELETE) to the tus server, after the owner check. */
  async handle(req: IncomingMessage, res: ServerResponse, actor: Actor, uploadId?: string): Promise<void> {
    if (uploadId !== undefined) await this.owned(actor, uploadId);
    this.actors.set(req, actor);
    await this.server.handle(req, res);
  }

  private async owned(actor: Actor, uploadId: string): Promise<Upload> {
    if (!UPLOAD_ID.test(uploadId)) throw notFound('Upload');
    const upload = await this.store.getUpload(uploadId).catch(() => null);
    if (!upload || upload.metadata?.['owner'] !== actor.userId || upload.metadata?.['tenant'] !== actor.tenantId) throw notFound('Upload');
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
