import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { assertKeyId, KEY_ID, KeyDestroyedError, KeyVault } from './key-vault';

export interface KmsKeyVaultOptions {
  kms: KMSClient;
  /** the key-management service's key that wraps every vault key (id, ARN or alias) */
  kmsKeyId: string;
  /** the object store holding the wrapped keys */
  s3: S3Client;
  /** a bucket of the vault's own: never the backed-up bucket, without object versioning */
  bucket: string;
  /** how long a process keeps an unwrapped key in memory (0: ask the service every time) */
  cacheMs?: number;
}

const MAX_CACHED = 10_000;

function status(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * The key vault for several hosts: each tenant's and user's key is a data key made by a
 * key-management service with the AWS KMS API (AWS KMS itself, or a compatible service), stored
 * only as the service's ciphertext in a bucket of its own in the shared object store, and
 * unwrapped by the service on use. The wrapping key never leaves the service; the ciphertext is
 * bound to the key's id (encryption context), so a ciphertext moved to another id does not
 * unwrap. A key is made once even when hosts ask at the same time: the first write wins (a
 * conditional put, `If-None-Match: *`) and the others read the winner's.
 *
 * Destroying a key deletes its ciphertext. The vault's bucket is not in the daily backups (they
 * copy `S3_BUCKET` only); keep object versioning off on it, or a deleted key would survive as an
 * older version. Unwrapped keys are kept in memory for `cacheMs` (one minute by default): after a
 * key is destroyed, another host may still use it for up to that long.
 */
export class KmsKeyVault extends KeyVault {
  private readonly cache = new Map<string, { key: Buffer; until: number }>();
  private readonly cacheMs: number;

  constructor(private readonly options: KmsKeyVaultOptions) {
    super();
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  private objectKey(id: string): string {
    assertKeyId(id);
    return `${id}.key`;
  }

  /** the tombstone of a forgotten id, beside the keys */
  private tombstone(id: string): string {
    assertKeyId(id);
    return `${id}.forgotten`;
  }

  private async isForgotten(id: string): Promise<boolean> {
    try {
      await this.options.s3.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.tombstone(id) }));
      return true;
    } catch (e) {
      if (status(e) === 404) return false;
      throw e;
    }
  }

  private context(id: string): Record<string, string> {
    return { 'rehearse-vault-key': id };
  }

  private remember(id: string, key: Buffer): Buffer {
    if (this.cacheMs <= 0) return key;
    if (this.cache.size >= MAX_CACHED) {
      const now = Date.now();
      for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    }
    this.cache.set(id, { key, until: Date.now() + this.cacheMs });
    return key;
  }

  async get(id: string): Promise<Buffer | null> {
    const objectKey = this.objectKey(id);
    const cached = this.cache.get(id);
    if (cached && cached.until > Date.now()) return cached.key;
    let sealed: Uint8Array;
    try {
      const res = await this.options.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
      sealed = await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
    } catch (e) {
      if ((e as Error).name === 'NoSuchKey' || status(e) === 404) {
        this.cache.delete(id);
        return null;
      }
      throw e;
    }
    const { Plaintext } = await this.options.kms.send(
      new DecryptCommand({ CiphertextBlob: sealed, KeyId: this.options.kmsKeyId, EncryptionContext: this.context(id) }),
    );
    if (!Plaintext || Plaintext.length !== 32) throw new Error(`vault key ${id} is damaged`);
    return this.remember(id, Buffer.from(Plaintext));
  }

  async getOrCreate(id: string): Promise<Buffer> {
    const existing = await this.get(id);
    if (existing) return existing;
    if (await this.isForgotten(id)) throw new KeyDestroyedError(`vault key ${id} was forgotten`);
    const made = await this.options.kms.send(
      new GenerateDataKeyCommand({
        KeyId: this.options.kmsKeyId,
        KeySpec: 'AES_256',
        EncryptionContext: this.context(id),
      }),
    );
    if (!made.Plaintext || !made.CiphertextBlob) throw new Error('the key-management service returned no data key');
    try {
      await this.options.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: this.objectKey(id),
          Body: made.CiphertextBlob,
          IfNoneMatch: '*',
          ContentType: 'application/octet-stream',
        }),
      );
      // forgotten while it was being made (the tombstone is written before the key is deleted): gone again
      if (await this.isForgotten(id)) {
        await this.destroy(id);
        throw new KeyDestroyedError(`vault key ${id} was forgotten`);
      }
      return this.remember(id, Buffer.from(made.Plaintext));
    } catch (e) {
      // 412: another host wrote the key first; 409: it is writing it right now
      if (status(e) !== 412 && status(e) !== 409) throw e;
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const winner = await this.get(id);
      if (winner) return winner;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`vault key ${id} was being made by another host and did not appear`);
  }

  async destroy(id: string): Promise<boolean> {
    const objectKey = this.objectKey(id);
    this.cache.delete(id);
    try {
      await this.options.s3.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
    } catch (e) {
      if (status(e) === 404) return false;
      throw e;
    }
    await this.options.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: objectKey }));
    // again: a read on this host while the key was being deleted may have cached it
    this.cache.delete(id);
    return true;
  }

  /** Writes the tombstone, then deletes the key; true when there was one. */
  async forget(id: string): Promise<boolean> {
    await this.options.s3.send(
      new PutObjectCommand({ Bucket: this.options.bucket, Key: this.tombstone(id), Body: new Uint8Array(0) }),
    );
    return this.destroy(id);
  }

  async forgotten(): Promise<string[]> {
    return this.named('.forgotten');
  }

  async list(): Promise<string[]> {
    return this.named('.key');
  }

  /** the ids of the bucket's objects whose names end in `suffix` */
  private async named(suffix: string): Promise<string[]> {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.options.s3.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        const id = o.Key?.endsWith(suffix) ? o.Key.slice(0, -suffix.length) : '';
        if (KEY_ID.test(id)) ids.push(id);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return ids;
  }
}
