import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import type { BlobStore, ByteRange } from './blob-store';
import { KeyRing } from './keys';

export const SEGMENT_SIZE = 64 * 1024;
const TAG = 16;

/** What the database keeps about a sealed object (never the data key in clear). */
export interface Envelope {
  format: 1;
  segmentSize: number;
  noncePrefix: string;
  wrappedKey: string;
  /** the vault key that wraps `wrappedKey` (`user-…` or `tenant-…`); absent in envelopes from before the vault */
  kek?: string;
  /** plaintext bytes */
  size: number;
}

export interface ObjectRef {
  tenantId: string;
  key: string;
  /** the participant whose recording it is: their own key wraps it (absent: the tenant's key) */
  ownerId?: string | null;
}

export class SealedObjectError extends Error {}

export function segmentCount(size: number, segmentSize = SEGMENT_SIZE): number {
  return Math.max(1, Math.ceil(size / segmentSize));
}

export function ciphertextSize(size: number, segmentSize = SEGMENT_SIZE): number {
  return size + segmentCount(size, segmentSize) * TAG;
}

function nonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 7);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

const aad = (ref: ObjectRef) => Buffer.from(`rehearse:object:v1:${ref.tenantId}:${ref.key}`);

/**
 * Segmented AEAD (as Tink's streaming AEAD, age's STREAM, MinIO's DARE): AES-256-GCM over fixed
 * plaintext segments, nonce = random prefix ‖ segment index ‖ last-segment flag, associated data
 * binding tenant and object. Any byte range decrypts only the segments it touches, each tag is
 * verified before a byte of its segment leaves, and truncation, reordering, appending or a wrong
 * key make the read fail instead of returning wrong bytes.
 */
export class SealedObjects {
  constructor(
    private readonly store: BlobStore,
    private readonly keys: KeyRing,
    private readonly segmentSize = SEGMENT_SIZE,
  ) {}

  /** Encrypts a plaintext stream into the store. `size`, when known, is checked and spares S3 a multipart upload. */
  async put(ref: ObjectRef, plaintext: Readable, size?: number): Promise<Envelope> {
    const dataKey = this.keys.newDataKey();
    const prefix = randomBytes(7);
    const S = this.segmentSize;
    const associated = aad(ref);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let index = 0;
    let total = 0;
    const seal = (chunk: Buffer, last: boolean): Buffer => {
      const c = createCipheriv('aes-256-gcm', dataKey, nonce(prefix, index++, last));
      c.setAAD(associated);
      return Buffer.concat([c.update(chunk), c.final(), c.getAuthTag()]);
    };
    const encryptor = new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        total += chunk.length;
        // emit full segments only while more data follows: the last one is sealed as last at the end
        while (pendingBytes > S) {
          const all = Buffer.concat(pending);
          this.push(seal(all.subarray(0, S), false));
          pending = [all.subarray(S)];
          pendingBytes = all.length - S;
        }
        done();
      },
      flush(done: TransformCallback) {
        this.push(seal(Buffer.concat(pending), true));
        done();
      },
    });
    // the source's error is taken from the start: a file that cannot be opened (gone under a
    // request) fails while the key is being wrapped, and an 'error' nobody listens to ends the process
    let failure: Error | undefined;
    let piped = false;
    plaintext.on('error', (e) => {
      failure ??= e;
      // (once piped, the store reading the sealed stream hears of it)
      if (piped) encryptor.destroy(e);
    });
    // a store that failed (its put rejected) may no longer listen to the sealed stream: the source's
    // later error, passed on to it, must not be an 'error' nobody hears
    encryptor.on('error', (e) => {
      failure ??= e;
    });
    // wrapped first: an object is never written under a key that could not be kept
    let wrapped: Awaited<ReturnType<KeyRing['wrap']>>;
    try {
      wrapped = await this.keys.wrap(ref, dataKey, ref.key);
    } catch (e) {
      plaintext.destroy();
      throw e;
    }
    if (failure) throw failure;
    const { wrappedKey, kek } = wrapped;
    piped = true;
    const sealed = plaintext.pipe(encryptor);
    await this.store.put(ref.key, sealed, size === undefined ? undefined : ciphertextSize(size, S));
    if (size !== undefined && total !== size) {
      await this.store.delete(ref.key);
      throw new SealedObjectError(`expected ${size} bytes, received ${total}`);
    }
    return { format: 1, segmentSize: S, noncePrefix: prefix.toString('hex'), wrappedKey, kek, size: total };
  }

  /** The plaintext, or the inclusive byte range of it, decrypted segment by segment. */
  async get(ref: ObjectRef, env: Envelope, range?: ByteRange): Promise<Readable> {
    const S = env.segmentSize;
    const size = env.size;
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    if (range && (start < 0 || end < start || end >= size))
      throw new SealedObjectError(`range ${start}-${end} outside 0-${size - 1}`);
    const dataKey = await this.keys.unwrap(ref.tenantId, env.kek, env.wrappedKey, ref.key);
    const prefix = Buffer.from(env.noncePrefix, 'hex');
    const stat = await this.store.stat(ref.key);
    const expected = ciphertextSize(size, S);
    if (!stat) throw new SealedObjectError('object is missing');
    if (stat.size !== expected)
      throw new SealedObjectError(`object is ${stat.size} bytes, expected ${expected}: truncated or extended`);
    const segments = segmentCount(size, S);
    const first = size === 0 ? 0 : Math.floor(start / S);
    const last = size === 0 ? 0 : Math.floor(end / S);
    const cStart = first * (S + TAG);
    const cEnd = Math.min((last + 1) * (S + TAG), expected) - 1;
    const source = await this.store.get(ref.key, { start: cStart, end: cEnd });
    const associated = aad(ref);
    let index = first;
    let buffer = Buffer.alloc(0);
    const open = (segment: Buffer, i: number): Buffer => {
      const d = createDecipheriv('aes-256-gcm', dataKey, nonce(prefix, i, i === segments - 1));
      d.setAAD(associated);
      d.setAuthTag(segment.subarray(segment.length - TAG));
      return Buffer.concat([d.update(segment.subarray(0, segment.length - TAG)), d.final()]);
    };
    const emit = (stream: Transform, segment: Buffer) => {
      const plain = open(segment, index); // throws before any byte of a forged segment leaves
      const segStart = index * S;
      const from = Math.max(start - segStart, 0);
      const to = Math.min(end - segStart + 1, plain.length);
      if (to > from) stream.push(plain.subarray(from, to));
      index += 1;
    };
    // the ciphertext length of segment i: full segments, then the (possibly short or empty) last one
    const length = (i: number) => (i < segments - 1 ? S : size - i * S) + TAG;
    const fail = (e: unknown) =>
      new SealedObjectError(`segment ${index} failed authentication: ${(e as Error).message}`);
    const decryptor = new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        try {
          buffer = Buffer.concat([buffer, chunk]);
          while (index <= last && buffer.length >= length(index)) {
            const n = length(index);
            emit(this, buffer.subarray(0, n));
            buffer = buffer.subarray(n);
          }
          done();
        } catch (e) {
          done(fail(e));
        }
      },
      flush(done: TransformCallback) {
        if (index <= last) return done(fail(new Error('the object ended early')));
        if (buffer.length) return done(fail(new Error('the object has extra bytes')));
        done();
      },
    });
    source.once('error', (e) => decryptor.destroy(e));
    return source.pipe(decryptor);
  }
}
