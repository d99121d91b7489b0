import { createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet, jwtVerify } from 'jose';

/** What a checked receipt says, or why it does not check. */
export type ReceiptCheck =
  | {
      valid: true;
      /** the key that signed it (its RFC 7638 thumbprint) */
      kid: string;
      issuer: string;
      signedAt: string;
      kind: string;
      subject: string;
      receiptId: string;
      claims: Record<string, unknown>;
    }
  | { valid: false; reason: string };

/**
 * Checks a signed receipt or destruction report (a compact JWT, EdDSA) against the installation's
 * keys (the JWK Set of `GET /api/receipts/keys`): the signature by one of those keys, nothing else
 * accepted (no other algorithm, no key the token brings itself), and the claims a receipt has.
 * With `issuer`, the token must name it.
 */
export async function checkReceipt(token: string, keys: JSONWebKeySet, issuer?: string): Promise<ReceiptCheck> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token.trim()).kid;
  } catch {
    return { valid: false, reason: 'this is not a signed receipt (a JSON Web Token)' };
  }
  try {
    const { payload } = await jwtVerify(token.trim(), createLocalJWKSet(keys), {
      algorithms: ['EdDSA'],
      issuer,
      // a receipt does not expire: no exp, no maximum age
      requiredClaims: ['iss', 'iat', 'sub', 'jti'],
    });
    if (typeof payload['kind'] !== 'string' || typeof payload['receipt'] !== 'object' || payload['receipt'] === null)
      return { valid: false, reason: 'the token is signed but is not a receipt (no kind or receipt)' };
    return {
      valid: true,
      kid: kid ?? '',
      issuer: payload.iss as string,
      signedAt: new Date((payload.iat as number) * 1000).toISOString(),
      kind: payload['kind'],
      subject: payload.sub as string,
      receiptId: payload.jti as string,
      claims: payload as Record<string, unknown>,
    };
  } catch (err) {
    if (err instanceof errors.JWKSNoMatchingKey)
      return {
        valid: false,
        reason: `no key of the installation's key set signed it (the token names key ${kid ?? 'none'})`,
      };
    if (err instanceof errors.JWSSignatureVerificationFailed)
      return { valid: false, reason: 'the signature does not match: the receipt was changed after it was signed' };
    if (err instanceof errors.JWTClaimValidationFailed)
      return { valid: false, reason: `the receipt's claim ${err.claim} does not check: ${err.message}` };
    if (err instanceof errors.JOSEAlgNotAllowed)
      return { valid: false, reason: 'it is not signed with Ed25519 (EdDSA)' };
    return { valid: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
