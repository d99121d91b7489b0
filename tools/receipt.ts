/**
 * Checks a signed deletion receipt or destruction report (the .jwt file Rehearse downloads):
 *   npm run receipt:verify -- <receipt.jwt> <keys>
 * where <keys> is the installation's key set: its address (https://rehearse.example.org, whose
 * /api/receipts/keys is read) or a file holding that JWK Set, kept from when the receipt was
 * handed over. Prints what the receipt records and exits 0 when the signature checks, 1 when not.
 */
import { readFile } from 'node:fs/promises';
import type { JSONWebKeySet } from 'jose';
import { checkReceipt } from './lib/receipt-verify';

async function keySet(where: string): Promise<JSONWebKeySet> {
  if (/^https?:\/\//.test(where)) {
    const url = new URL('/api/receipts/keys', where);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return (await res.json()) as JSONWebKeySet;
  }
  return JSON.parse(await readFile(where, 'utf8')) as JSONWebKeySet;
}

async function main(): Promise<number> {
  const [file, keys] = process.argv.slice(2);
  if (!file || !keys) {
    console.error('usage: npm run receipt:verify -- <receipt.jwt> <https://your-installation | keys.json>');
    return 64;
  }
  const check = await checkReceipt(await readFile(file, 'utf8'), await keySet(keys));
  if (!check.valid) {
    console.error(`NOT VALID: ${check.reason}`);
    return 1;
  }
  const receipt = check.claims['receipt'] as { verified?: boolean; counts?: Record<string, number> };
  console.log(`valid: signed by ${check.issuer} (key ${check.kid}) at ${check.signedAt}`);
  const organisation = check.claims['organisationName'];
  console.log(
    `${check.kind} of ${check.subject}, receipt ${check.receiptId}${typeof organisation === 'string' ? `, organisation ${organisation}` : ''}`,
  );
  console.log(
    `the store confirmed every object gone: ${receipt.verified ? 'yes' : 'NO'}; counts: ${JSON.stringify(receipt.counts ?? {})}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
