import type { Readable } from 'node:stream';

/** An inclusive byte range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where bytes live. Adapters store opaque (already encrypted) bytes under server-generated keys;
 * they never see plaintext. Both adapters pass the same contract suite.
 */
export interface BlobStore {
  /** Streams `body` to `key` (replacing it); `size` when known lets S3 avoid multipart guesses. */
  put(key: string, body: Readable, size?: number): Promise<void>;
  /** Streams the bytes of `key`, or the inclusive `range` of them. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The size of `key`, or null when it does not exist. */
  stat(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
  /** Every key under a prefix (for tenant and user deletion, backups and drills). */
  list(prefix: string): Promise<string[]>;
}

/**
 * Objects under this prefix describe the running installation rather than hold its data (the
 * witness of the privacy logs): backups leave them out, since one restored beside an older
 * database would contradict it; the installation writes them again.
 */
export const LIVE_PREFIX = 'live/';

/** Object keys are made by the server: lower-case segments of [a-z0-9_-] separated by "/". */
export const OBJECT_KEY = /^[a-z0-9][a-z0-9_-]{0,127}(\/[a-z0-9][a-z0-9_.-]{0,127}){0,7}$/;

export function assertObjectKey(key: string): void {
  if (!OBJECT_KEY.test(key) || key.includes('..')) throw new Error(`invalid object key "${key.slice(0, 80)}"`);
}
