import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Small authenticated-encryption helper for short secrets held at rest for a few minutes
 * (a sign-in code waiting for the mail worker). AES-256-GCM with a key derived from APP_SECRET.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly macKey: Buffer;

  constructor(appSecret: string) {
    this.key = createHash('sha256').update(`rehearse:secret-box:${appSecret}`).digest();
    this.macKey = createHash('sha256').update(`rehearse:mac:${appSecret}`).digest();
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  open(sealed: string, context: string): string {
    const buf = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for tokens and codes stored in the database (never the raw value). */
  hash(value: string, context: string): string {
    return createHmac('sha256', this.macKey).update(`${context}:${value}`).digest('hex');
  }

  static equal(a: string, b: string): boolean {
    const ab = Buffer.from(a);
    const bb = Buffer.from(b);
    return ab.length === bb.length && timingSafeEqual(ab, bb);
  }
}
