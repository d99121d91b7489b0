import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Response } from 'supertest';
import type { Client, Harness } from './harness';

/** The shared ASR fixtures (../shared/asr beside the checkout, or REHEARSE_SHARED_ASR). */
export const ASR = process.env['REHEARSE_SHARED_ASR'] ?? join(__dirname, '../../../../../shared/asr');
export const JFK_VIDEO = join(ASR, 'samples/jfk-video.mp4');
export const JFK_WAV = join(ASR, 'samples/jfk.wav');

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** tus 1.0 creation: returns the response (201 with a Location, or the refusal). */
export function createUpload(c: Client, length: number, metadata: Record<string, string>): Promise<Response> {
  const meta = Object.entries(metadata)
    .map(([k, v]) => `${k} ${b64(v)}`)
    .join(',');
  return c.post('/api/uploads', undefined, {
    'Tus-Resumable': '1.0.0',
    'Upload-Length': String(length),
    'Upload-Metadata': meta,
  });
}

/** tus PATCH of `chunk` at `offset`. */
export async function appendUpload(c: Client, location: string, offset: number, chunk: Buffer): Promise<Response> {
  return c.capture(
    await c.agent
      .patch(location)
      .set('X-XSRF-TOKEN', c.xsrf)
      .set('Tus-Resumable', '1.0.0')
      .set('Upload-Offset', String(offset))
      .set('Content-Type', 'application/offset+octet-stream')
      .send(chunk),
  );
}

/** Uploads bytes in chunks as tus-js-client would; returns the upload id. */
export async function upload(
  c: Client,
  bytes: Buffer,
  purpose: 'answer' | 'prompt' = 'answer',
  filename = 'answer.bin',
  chunkSize = 64 * 1024,
): Promise<string> {
  const created = await createUpload(c, bytes.length, { purpose, filename, filetype: 'application/octet-stream' });
  if (created.status !== 201) throw new Error(`upload creation failed: ${created.status} ${created.text}`);
  const location = created.headers['location'] as string;
  for (let offset = 0; offset < bytes.length || (offset === 0 && bytes.length === 0); offset += chunkSize) {
    const res = await appendUpload(c, location, offset, bytes.subarray(offset, offset + chunkSize));
    if (res.status !== 204) throw new Error(`upload append failed: ${res.status} ${res.text}`);
    if (bytes.length === 0) break;
  }
  return location.split('/').pop() as string;
}

export async function uploadFile(c: Client, path: string, purpose: 'answer' | 'prompt' = 'answer'): Promise<string> {
  return upload(c, await readFile(path), purpose, path.split('/').pop());
}

/** Polls the recording until it is final (the SSE stream has its own test). */
export async function waitForRecording(c: Client, id: string, timeoutMs = 60_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.get(`/api/recordings/${id}`);
    if (res.status !== 200 || ['transcribed', 'failed'].includes(res.body.status)) return res;
    if (Date.now() > until) throw new Error(`recording ${id} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type { Harness };
