import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT, UnsecuredJWT } from 'jose';
import { Clock, ed25519Thumbprint, loadConfig } from '@rehearse/server/core';
import { ReceiptSigner } from '@rehearse/server/privacy';
// the check is a workspace tool (tools/ is no Nx project): what npm run receipt:verify runs
// eslint-disable-next-line @nx/enforce-module-boundaries
import { checkReceipt } from '../../../../../tools/lib/receipt-verify';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const signer = (env: Record<string, string> = {}) =>
  new ReceiptSigner(
    loadConfig({ APP_SECRET: SECRET, PUBLIC_URL: 'https://rehearse.example.org', ...env }),
    new Clock(),
  );
const CLAIMS = {
  kind: 'erasure',
  organisation: '1d3c9a52-6a4c-4f5e-9d83-0f4d0c3b7a21',
  receipt: { id: 'r1', verified: true, counts: { answers: 2 } },
};

describe('signed receipts', () => {
  it('every process of an installation signs with the same key; another secret is another key', async () => {
    const [a, b] = [await signer().keys(), await signer().keys()];
    expect(a).toEqual(b);
    expect(a.keys).toEqual([
      { kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), use: 'sig', alg: 'EdDSA' },
    ]);
    expect(Buffer.from(a.keys[0].x, 'base64url')).toHaveLength(32);
    const own = await signer({ RECEIPT_SIGNING_KEY: 'another-secret-of-at-least-thirty-two-chars' }).keys();
    expect(own.keys[0].kid).not.toBe(a.keys[0].kid);
    expect(() => signer({ RECEIPT_SIGNING_KEY: 'short' })).toThrow(
      /RECEIPT_SIGNING_KEY must be at least 32 characters/,
    );
  });

  it('a signed receipt checks against the key set and says what it records', async () => {
    const s = signer();
    const token = await s.sign('r1', 'subject-1', CLAIMS);
    const check = await checkReceipt(token, await s.keys(), 'https://rehearse.example.org');
    expect(check).toMatchObject({
      valid: true,
      kid: (await s.keys()).keys[0].kid,
      issuer: 'https://rehearse.example.org',
      kind: 'erasure',
      subject: 'subject-1',
      receiptId: 'r1',
      claims: expect.objectContaining(CLAIMS),
    });
    expect(check.valid && Math.abs(Date.parse(check.signedAt) - Date.now())).toBeLessThan(5_000);
    // another installation's address
    expect(await checkReceipt(token, await s.keys(), 'https://elsewhere.example.org')).toMatchObject({
      valid: false,
      reason: expect.stringContaining('iss'),
    });
  });

  it('refuses a changed receipt, another key, an unsigned or HMAC token, and what is not a token', async () => {
    const s = signer();
    const keys = await s.keys();
    const token = await s.sign('r1', 'subject-1', CLAIMS);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.receipt.verified = false;
    const changed = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    expect(await checkReceipt(changed, keys)).toEqual({
      valid: false,
      reason: 'the signature does not match: the receipt was changed after it was signed',
    });
    // signed by another installation (its key not in this key set)
    const other = await signer({ APP_SECRET: 'yet-another-secret-of-thirty-two-chars!' }).sign(
      'r1',
      'subject-1',
      CLAIMS,
    );
    expect(await checkReceipt(other, keys)).toMatchObject({
      valid: false,
      reason: expect.stringContaining("no key of the installation's key set signed it"),
    });
    // a forger's own Ed25519 key, named by the installation's kid
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'EdDSA', kid: keys.keys[0].kid, jwk: await exportJWK(forger) })
      .setIssuer('https://rehearse.example.org')
      .setIssuedAt()
      .setSubject('subject-1')
      .setJti('r1')
      .sign(forger);
    expect(await checkReceipt(forged, keys)).toEqual({
      valid: false,
      reason: 'the signature does not match: the receipt was changed after it was signed',
    });
    // alg "none", and HS256 keyed with the public key (the classic confusion)
    const unsigned = new UnsecuredJWT(CLAIMS).setIssuer('x').setIssuedAt().setSubject('s').setJti('r1').encode();
    expect(await checkReceipt(unsigned, keys)).toEqual({
      valid: false,
      reason: 'it is not signed with Ed25519 (EdDSA)',
    });
    const hmac = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256', kid: keys.keys[0].kid })
      .setIssuer('x')
      .setIssuedAt()
      .setSubject('s')
      .setJti('r1')
      .sign(Buffer.from(keys.keys[0].x, 'base64url'));
    expect(await checkReceipt(hmac, keys)).toEqual({ valid: false, reason: 'it is not signed with Ed25519 (EdDSA)' });
    for (const junk of ['', 'not a token', 'a.b.c', '{"receipt":1}'])
      expect(await checkReceipt(junk, keys)).toMatchObject({ valid: false, reason: expect.any(String) });
  });

  it('after a key change, receipts signed before still check when the old key set is kept in RECEIPT_RETIRED_KEYS', async () => {
    const before = signer({ RECEIPT_SIGNING_KEY: 'the-first-signing-secret-of-32-chars-or-more' });
    const oldKeys = await before.keys();
    const oldReceipt = await before.sign('r1', 'subject-1', CLAIMS);
    // the key changed and nothing kept: the old receipt names a key the installation no longer publishes
    const plain = signer({ RECEIPT_SIGNING_KEY: 'the-second-signing-secret-of-32-chars-or-more' });
    expect(await checkReceipt(oldReceipt, await plain.keys())).toMatchObject({
      valid: false,
      reason: expect.stringContaining("no key of the installation's key set signed it"),
    });
    // the key changed, the old key set kept: both keys published, the current one first, only it signs
    const after = signer({
      RECEIPT_SIGNING_KEY: 'the-second-signing-secret-of-32-chars-or-more',
      // the same key twice and the current key among the retired are published once
      RECEIPT_RETIRED_KEYS: JSON.stringify({ keys: [...oldKeys.keys, ...oldKeys.keys, ...(await plain.keys()).keys] }),
    });
    const keys = await after.keys();
    expect(keys.keys.map((k) => k.kid)).toEqual([(await plain.keys()).keys[0].kid, oldKeys.keys[0].kid]);
    expect(await checkReceipt(oldReceipt, keys)).toMatchObject({ valid: true, kid: oldKeys.keys[0].kid });
    const newReceipt = await after.sign('r2', 'subject-1', CLAIMS);
    expect(await checkReceipt(newReceipt, keys)).toMatchObject({ valid: true, kid: keys.keys[0].kid });
    expect(await checkReceipt(newReceipt, oldKeys)).toMatchObject({ valid: false });
  });

  it('RECEIPT_RETIRED_KEYS takes public Ed25519 keys named by their thumbprint, and says what is wrong with anything else', async () => {
    const key = (await signer().keys()).keys[0];
    expect(ed25519Thumbprint(key.x)).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: key.x }));
    const refused = (value: string) => () => signer({ RECEIPT_RETIRED_KEYS: value });
    expect(refused('not json')).toThrow(/RECEIPT_RETIRED_KEYS: must be the JSON of a key set/);
    expect(refused('{"keys": {}}')).toThrow(/RECEIPT_RETIRED_KEYS/);
    const jwk = await exportJWK(generateKeyPairSync('ed25519').privateKey);
    const kid = ed25519Thumbprint(jwk.x as string);
    // a private key is refused: the setting is published
    expect(refused(JSON.stringify({ keys: [{ ...jwk, kid }] }))).toThrow(/a private key \(d\) must not be published/);
    expect(refused(JSON.stringify({ keys: [{ ...key, kid: 'someone-else' }] }))).toThrow(
      /each key's kid must be its RFC 7638 thumbprint/,
    );
    const rsa = await exportJWK(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    expect(refused(JSON.stringify({ keys: [{ ...rsa, kid: 'rsa' }] }))).toThrow(/an Ed25519 public key/);
    expect(refused(JSON.stringify({ keys: [{ ...key, x: 'short' }] }))).toThrow(/32-byte public key/);
    // a public key of another installation, with its thumbprint: published
    const { d: _d, ...pub } = jwk;
    const keys = await signer({ RECEIPT_RETIRED_KEYS: JSON.stringify({ keys: [{ ...pub, kid }] }) }).keys();
    expect(keys.keys[1]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: pub.x, kid, use: 'sig', alg: 'EdDSA' });
  });
});
