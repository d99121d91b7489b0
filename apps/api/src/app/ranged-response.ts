import type { Response } from 'express';
import type { RangedResponse } from '@rehearse/server/storage';

/** Sends a read of stored bytes (a recording, prompt media, an export) as its service decided it. */
export function sendRanged(res: Response, read: RangedResponse): void {
  res.status(read.status);
  for (const [k, v] of Object.entries(read.headers)) res.setHeader(k, v);
  if (!read.body) {
    res.end();
    return;
  }
  read.body.on('error', () => res.destroy()); // an authentication failure mid-stream ends the response, never sends wrong bytes
  read.body.pipe(res);
}
