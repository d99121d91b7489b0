import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { KeyDestroyedError, KeyVault, tenantKeyId, userKeyId } from './key-vault';

/** Whose key wraps an object's data key: the owner's (a participant's recording) or the tenant's. */
export interface KeyOwner {
  tenantId: string;
  ownerId?: string | null;
}

/**
 * Key hierarchy: the master key (configuration) wraps the vault's keys; a vault key per user (for
 * their recordings) or per tenant (everything else) wraps a random data key per object, stored
 * only wrapped (AES-256-GCM, bound to tenant and object). Database dumps therefore hold wrapped
 * keys only, and destroying a vault key shreds everything under it, backups included.
 *
 * Envelopes written before the vault existed (no `kek`) used a per-tenant key derived from the
 * master key; they are still read.
 */
export class KeyRing {
  private readonly master: Buffer;

  constructor(
    masterKey: Buffer,
    private readonly vault: KeyVault,
  ) {
    if (masterKey.length !== 32) throw new Error('the storage master key must be 32 bytes');
    this.master = masterKey;
  }

  private legacyKek(tenantId: string): Buffer {
    return Buffer.from(
      hkdfSync('sha256', this.master, Buffer.from('rehearse-kek-v1'), Buffer.from(`tenant:${tenantId}`), 32),
    );
  }

  private async kek(kekId: string | undefined, tenantId: string): Promise<Buffer> {
    if (!kekId) return this.legacyKek(tenantId);
    const key = await this.vault.get(kekId);
    if (!key) throw new KeyDestroyedError(`the key ${kekId} was destroyed: this object can no longer be read`);
    return key;
  }

  newDataKey(): Buffer {
    return randomBytes(32);
  }

  /** Wraps a data key under the owner's vault key (made on first use); returns it with the key's id. */
  async wrap(owner: KeyOwner, dataKey: Buffer, context: string): Promise<{ wrappedKey: string; kek: string }> {
    const kek = owner.ownerId ? userKeyId(owner.ownerId) : tenantKeyId(owner.tenantId);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', await this.vault.getOrCreate(kek), iv);
    c.setAAD(Buffer.from(`wrap:${owner.tenantId}:${context}`));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return { wrappedKey: Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64'), kek };
  }

  async unwrap(tenantId: string, kekId: string | undefined, wrapped: string, context: string): Promise<Buffer> {
    const buf = Buffer.from(wrapped, 'base64');
    if (buf.length !== 12 + 32 + 16) throw new Error('wrapped key has the wrong length');
    const d = createDecipheriv('aes-256-gcm', await this.kek(kekId, tenantId), buf.subarray(0, 12));
    d.setAAD(Buffer.from(`wrap:${tenantId}:${context}`));
    d.setAuthTag(buf.subarray(44));
    return Buffer.concat([d.update(buf.subarray(12, 44)), d.final()]);
  }
}
