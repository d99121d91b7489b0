import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import type { ReceiptKey, ReceiptKeySet } from '@rehearse/shared/contracts';
import { APP_CONFIG, type AppConfig, Clock, ed25519Thumbprint } from '@rehearse/server/core';

/** PKCS #8's wrapping of a raw Ed25519 private key (RFC 8410): these 16 bytes, then the 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** What a signed receipt says: the claims of its JSON Web Token besides `iss`, `iat`, `sub` and `jti`. */
export interface ReceiptClaims {
  /** what the receipt records: a person's data deleted (licence expiry, erasure) or an organisation destroyed */
  kind: string;
  /** the organisation it belongs to (a person's receipt) or was (a destruction report) */
  organisation: string;
  /** that organisation's name when the receipt was signed (a destruction report written before names were kept has none) */
  organisationName?: string;
  /** the receipt as the API shows it, every object with the store's confirmation */
  receipt: object;
}

/**
 * Signs deletion receipts and destruction reports so that someone outside the installation (the
 * person erased, the organisation destroyed, their auditor) can check that a receipt came from this
 * installation and was not changed: a JSON Web Token (RFC 7519) signed with Ed25519 (EdDSA,
 * RFC 8037), its header naming the key by its RFC 7638 thumbprint. The key is derived from
 * RECEIPT_SIGNING_KEY (or APP_SECRET), so every API process of the installation signs with the same
 * key and nothing needs storing; the public key is published as a JWK Set (`GET /api/receipts/keys`)
 * and `npm run receipt:verify` checks a receipt against it. A receipt is signed when it is written
 * (and again when its deletion is confirmed later), and the signed form is kept with it
 * (ReceiptSeals): it says what the installation recorded at that time (`iat`).
 */
@Injectable()
export class ReceiptSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: ReceiptKey;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, config.receiptSigningSeed]),
      format: 'der',
      type: 'pkcs8',
    });
    const x = createPublicKey(this.privateKey).export({ format: 'jwk' }).x as string;
    this.publicKey = { kty: 'OKP', crv: 'Ed25519', x, kid: ed25519Thumbprint(x), use: 'sig', alg: 'EdDSA' };
  }

  /**
   * The installation's public key, as the JWK Set a verifier reads, followed by the keys it signed
   * with before (RECEIPT_RETIRED_KEYS), so a receipt handed out before a key change still checks.
   */
  async keys(): Promise<ReceiptKeySet> {
    const current = this.publicKey;
    const retired = (this.config.RECEIPT_RETIRED_KEYS ?? [])
      .filter((k, i, all) => k.kid !== current.kid && all.findIndex((o) => o.kid === k.kid) === i)
      .map((k): ReceiptKey => ({ kty: 'OKP', crv: 'Ed25519', x: k.x, kid: k.kid, use: 'sig', alg: 'EdDSA' }));
    return { keys: [current, ...retired] };
  }

  /** The receipt `id` about `subject` (a person or an organisation), signed now: a compact JWT. */
  async sign(id: string, subject: string, claims: ReceiptClaims): Promise<string> {
    const { kid } = this.publicKey;
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid })
      .setIssuer(this.config.PUBLIC_URL)
      .setIssuedAt(Math.floor(this.clock.now().getTime() / 1000))
      .setSubject(subject)
      .setJti(id)
      .sign(this.privateKey);
  }
}
