import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { access, link, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GoneError } from '@rehearse/server/core';

/**
 * The data key of an object whose wrapping key was destroyed (a forgotten user, a destroyed
 * tenant), or a key asked to be made for a forgotten id.
 */
export class KeyDestroyedError extends GoneError {
  override readonly name: string = 'KeyDestroyedError';
}

/** Key ids name whose key it is: `tenant-<uuid>` or `user-<uuid>`. */
export const KEY_ID = /^(tenant|user)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function tenantKeyId(tenantId: string): string {
  return `tenant-${tenantId}`;
}

export function userKeyId(userId: string): string {
  return `user-${userId}`;
}

export function assertKeyId(id: string): void {
  if (!KEY_ID.test(id)) throw new Error(`invalid key id "${id.slice(0, 60)}"`);
}

/**
 * The key vault: one random 32-byte key-encryption key per tenant and per user. It is kept apart
 * from PostgreSQL and the object store's backed-up bucket, so destroying a user's or a tenant's key
 * (crypto-shredding) makes their recordings unreadable in every backup too.
 *
 * Two implementations: {@link FileKeyVault} (one host, or hosts sharing a volume; the default) and
 * `KmsKeyVault` (several hosts: the keys wrapped by a key-management service, stored in a bucket of
 * their own).
 */
export abstract class KeyVault {
  /** The key, or null when it never existed or was destroyed. */
  abstract get(id: string): Promise<Buffer | null>;
  /** The key, made on first use; safe when several processes (or hosts) ask at once: all get the same key. */
  abstract getOrCreate(id: string): Promise<Buffer>;
  /** Destroys the key for good; true when there was one. */
  abstract destroy(id: string): Promise<boolean>;
  /**
   * Destroys the key and remembers that it was forgotten (a person erased): no key is ever made
   * under the id again (`getOrCreate` throws a KeyDestroyedError, whatever races it), and
   * `forgotten` lists it, so that the erasure can be made again on a database restored from a
   * backup taken before it (the vault is never in the backups). True when there was a key.
   */
  abstract forget(id: string): Promise<boolean>;
  /** Every id forgotten (`forget`). */
  abstract forgotten(): Promise<string[]>;
  /** Every key id in the vault. */
  abstract list(): Promise<string[]>;
}

/**
 * The file vault: each key stored wrapped by the master key (AES-256-GCM), one small file per key
 * in `KEY_VAULT_DIR`.
 */
export class FileKeyVault extends KeyVault {
  private readonly wrapping: Buffer;

  constructor(
    private readonly dir: string,
    masterKey: Buffer,
  ) {
    super();
    if (masterKey.length !== 32) throw new Error('the storage master key must be 32 bytes');
    this.wrapping = Buffer.from(
      hkdfSync('sha256', masterKey, Buffer.from('rehearse-vault-v1'), Buffer.from('key-vault'), 32),
    );
  }

  private path(id: string): string {
    assertKeyId(id);
    return join(this.dir, `${id}.key`);
  }

  /** the tombstone of a forgotten id */
  private tombstone(id: string): string {
    assertKeyId(id);
    return join(this.dir, `${id}.forgotten`);
  }

  private async isForgotten(id: string): Promise<boolean> {
    return access(this.tombstone(id)).then(
      () => true,
      () => false,
    );
  }

  /** The key, or null when it never existed or was destroyed. */
  async get(id: string): Promise<Buffer | null> {
    let text: string;
    try {
      text = await readFile(this.path(id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const buf = Buffer.from(text.trim(), 'base64');
    if (buf.length !== 12 + 32 + 16) throw new Error(`vault key ${id} is damaged`);
    const d = createDecipheriv('aes-256-gcm', this.wrapping, buf.subarray(0, 12));
    d.setAAD(Buffer.from(`vault:${id}`));
    d.setAuthTag(buf.subarray(44));
    return Buffer.concat([d.update(buf.subarray(12, 44)), d.final()]);
  }

  /** The key, made on first use; safe when several processes ask at once (the first one written wins). */
  async getOrCreate(id: string): Promise<Buffer> {
    const existing = await this.get(id);
    if (existing) return existing;
    if (await this.isForgotten(id)) throw new KeyDestroyedError(`vault key ${id} was forgotten`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.wrapping, iv);
    c.setAAD(Buffer.from(`vault:${id}`));
    const sealed = Buffer.concat([iv, c.update(key), c.final(), c.getAuthTag()]).toString('base64');
    const temp = join(this.dir, `.${id}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temp, sealed, { mode: 0o600, flush: true });
    try {
      await link(temp, this.path(id)); // atomic: fails when another process made it first
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      await rm(temp, { force: true });
    }
    // forgotten while it was being made (the tombstone is written before the key is removed): gone again
    if (await this.isForgotten(id)) {
      await rm(this.path(id), { force: true });
      throw new KeyDestroyedError(`vault key ${id} was forgotten`);
    }
    const stored = await this.get(id);
    if (!stored) throw new Error(`vault key ${id} vanished while it was made`);
    return stored;
  }

  /** Destroys the key for good; true when there was one. */
  async destroy(id: string): Promise<boolean> {
    try {
      await unlink(this.path(id));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  /** Writes the tombstone (durably, before the key goes), then destroys the key; true when there was one. */
  async forget(id: string): Promise<boolean> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.tombstone(id), '', { mode: 0o600, flush: true });
    return this.destroy(id);
  }

  async forgotten(): Promise<string[]> {
    return this.named('.forgotten');
  }

  /** Every key id in the vault. */
  async list(): Promise<string[]> {
    return this.named('.key');
  }

  /** the ids of the vault's files that end in `suffix` */
  private async named(suffix: string): Promise<string[]> {
    try {
      return (await readdir(this.dir))
        .filter((f) => f.endsWith(suffix))
        .map((f) => f.slice(0, -suffix.length))
        .filter((id) => KEY_ID.test(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
}
