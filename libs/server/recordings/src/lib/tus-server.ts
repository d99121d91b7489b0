import { Server } from '@tus/server';
import type { Request } from 'express';
import { errorBodyOf } from '@rehearse/server/core';

/**
 * The tus server, its every refusal in the API's JSON error body: tus writes some itself, in plain
 * text, before any hook of ours (a malformed Upload-Offset, Upload-Length or Upload-Metadata:
 * "Invalid upload-offset"), and the hook (onResponseError) sees only the errors its handlers throw.
 */
export class JsonRefusingServer extends Server {
  override write(...[context, req, res, status, body = '', headers = {}]: Parameters<Server['write']>) {
    if (status >= 400 && !body.startsWith('{')) {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      const message = body.trim().replace(/\s+/g, ' ') || 'The upload was refused';
      body = JSON.stringify(errorBodyOf(req as Request, status, message));
    }
    return super.write(context, req, res, status, body, headers);
  }
}
