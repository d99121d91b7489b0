import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Key hierarchy: a master key from configuration → one key-encryption key per tenant (HKDF) →
 * a random data key per object, stored only wrapped (AES-256-GCM, bound to tenant and object).
 * Database dumps therefore hold wrapped keys only; without the master key they decrypt nothing.
 */
export class KeyRing {
  private readonly master: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the storage master key must be 32 bytes');
    this.master = masterKey;
  }

  private kek(tenantId: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.master, Buffer.from('rehearse-kek-v1'), Buffer.from(`tenant:${tenantId}`), 32));
  }

  newDataKey(): Buffer {
    return randomBytes(32);
  }

  wrap(tenantId: string, dataKey: Buffer, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek(tenantId), iv);
    c.setAAD(Buffer.from(`wrap:${tenantId}:${context}`));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([iv, ct, c.getAuthTag()]).toString('base64');
  }

  unwrap(tenantId: string, wrapped: string, context: string): Buffer {
    const buf = Buffer.from(wrapped, 'base64');
    if (buf.length !== 12 + 32 + 16) throw new Error('wrapped key has the wrong length');
    const d = createDecipheriv('aes-256-gcm', this.kek(tenantId), buf.subarray(0, 12));
    d.setAAD(Buffer.from(`wrap:${tenantId}:${context}`));
    d.setAuthTag(buf.subarray(44));
    return Buffer.concat([d.update(buf.subarray(12, 44)), d.final()]);
  }
}
