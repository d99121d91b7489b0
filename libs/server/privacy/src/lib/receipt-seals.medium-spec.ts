/**
 * Receipts signed when they are written (the medium tier, real PostgreSQL): the shredder writes a
 * receipt and its signed form together, signs it again when a later check confirms its objects
 * gone, and a download hands out the form kept, whatever the clock or the row says by then.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { decodeJwt, importJWK, jwtVerify } from 'jose';
import { Clock, loadConfig } from '@rehearse/server/core';
import { openMediumDatabase, type MediumDatabase } from '@rehearse/server/database';
import { AccountsFootprintRepository } from '@rehearse/server/accounts';
import { RecordingsRepository } from '@rehearse/server/recordings';
import { LocalDiskStore } from '@rehearse/server/storage';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { ReceiptSeals } from './receipt-seals';
import { ReceiptSigner } from './receipt-signer';
import { Shredder } from './shredder';

const DAY = 24 * 3600 * 1000;

describe('receipts signed when written (medium tier)', () => {
  let m: MediumDatabase;
  let dir: string;
  const clock = new Clock();
  let signer: ReceiptSigner;
  let receipts: DeletionReceiptsRepository;
  let seals: ReceiptSeals;
  let shredder: Shredder;

  beforeAll(async () => {
    m = await openMediumDatabase();
    dir = await mkdtemp(join(tmpdir(), 'rehearse-seals-'));
    signer = new ReceiptSigner(
      loadConfig({ APP_SECRET: 'a-secret-of-at-least-thirty-two-characters', PUBLIC_URL: 'https://rehearse.test' }),
      clock,
    );
    receipts = new DeletionReceiptsRepository(m.db);
    seals = new ReceiptSeals(receipts, signer, new AccountsFootprintRepository(m.db));
    // the queues and recordings are not on these paths (writing a receipt, confirming its objects)
    const unused = undefined as unknown as Queue;
    shredder = new Shredder(
      m.db,
      new LocalDiskStore(dir),
      unused,
      unused,
      clock,
      new RecordingsRepository(m.db),
      receipts,
      seals,
    );
  });
  afterEach(() => {
    clock.reset();
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await m?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The claims of a token, its signature checked against the installation's published key. */
  async function verified(token: string) {
    const [jwk] = (await signer.keys()).keys;
    const { payload } = await jwtVerify(token, await importJWK(jwk, 'EdDSA'), { issuer: 'https://rehearse.test' });
    return payload;
  }

  /** The receipt as the download reads it. */
  async function stored(tenant: string, id: string) {
    const row = await receipts.receipt(tenant, id);
    if (!row) throw new Error(`no receipt ${id} in ${tenant}`);
    return row;
  }

  async function erasureReceipt() {
    const tenant = await m.rows.tenant('Northwind Sales');
    const person = await m.rows.user(tenant);
    const admin = await m.rows.user(tenant, { roles: ['administrator'] });
    // one object the store did not confirm gone (it was away): the receipt is not verified yet
    const id = await shredder.receipt(
      'erasure',
      tenant,
      person,
      {
        counts: { answers: 2 },
        objects: [
          { key: `tenants/${tenant}/gone`, verified: true },
          { key: `tenants/${tenant}/left`, verified: false },
        ],
      },
      { userId: admin, reason: 'asked for by the person' },
    );
    return { tenant, person, id };
  }

  it('signs a receipt when it is written; a download later hands out that form, signed then', async () => {
    const { tenant, person, id } = await erasureReceipt();
    const written = Math.floor(clock.now().getTime() / 1000);
    const row = await receipts.receipt(tenant, id);
    expect(row?.signed).toEqual(expect.any(String));
    const claims = await verified(row?.signed ?? '');
    expect(claims).toMatchObject({
      jti: id,
      sub: person,
      kind: 'erasure',
      organisation: tenant,
      organisationName: 'Northwind Sales',
      receipt: { id, kind: 'erasure', subjectId: person, verified: false, counts: { answers: 2 } },
    });
    expect(Math.abs((claims.iat ?? 0) - written)).toBeLessThanOrEqual(1);

    // downloaded a week later: the same token, signed when written
    clock.advance(7 * DAY);
    const sealed = await seals.receipt(await stored(tenant, id));
    expect(sealed.token).toBe(row?.signed);
    expect(sealed.receipt).toEqual(claims['receipt']);
  });

  it('signs it again when a later check confirms gone what the deletion had left behind', async () => {
    const { tenant, id } = await erasureReceipt();
    const before = (await receipts.receipt(tenant, id))?.signed;
    clock.advance(DAY);
    // the object left behind is not in the store (any more): confirmed gone now
    expect(await shredder.finishUnverified()).toBeGreaterThanOrEqual(1);
    const row = await receipts.receipt(tenant, id);
    expect(row?.verified).toBe(true);
    expect(row?.signed).not.toBe(before);
    const claims = await verified(row?.signed ?? '');
    expect(claims['receipt']).toMatchObject({ verified: true, objects: [{ verified: true }, { verified: true }] });
    expect(Math.abs((claims.iat ?? 0) - Math.floor(clock.now().getTime() / 1000))).toBeLessThanOrEqual(1);
  });

  it('a receipt changed at the database since is handed out as signed, and the change is logged', async () => {
    const { tenant, id } = await erasureReceipt();
    const signed = (await receipts.receipt(tenant, id))?.signed;
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await m.db.query(`UPDATE deletion_receipts SET counts = '{"answers": 0}', verified = true WHERE id = $1`, [id]);
    const sealed = await seals.receipt(await stored(tenant, id));
    expect(sealed.token).toBe(signed);
    expect(sealed.receipt).toMatchObject({ counts: { answers: 2 }, verified: false });
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`deletion receipt ${id} differs from what the installation signed`),
    );
    // and nothing signs the changed row: the kept form stays
    expect((await receipts.receipt(tenant, id))?.signed).toBe(signed);
  });

  it('a receipt written before receipts were signed when written is signed at its first download and kept', async () => {
    const { tenant, id } = await erasureReceipt();
    await m.db.query(`UPDATE deletion_receipts SET signed = NULL WHERE id = $1`, [id]);
    clock.advance(DAY);
    const first = await seals.receipt(await stored(tenant, id));
    expect((await verified(first.token))['receipt']).toMatchObject({ id, verified: false });
    expect((await receipts.receipt(tenant, id))?.signed).toBe(first.token);
    clock.advance(DAY);
    expect((await seals.receipt(await stored(tenant, id))).token).toBe(first.token);
  });

  it("a destroyed organisation's report is signed when written, naming the organisation as it was", async () => {
    const gone = await m.rows.tenant();
    const id = await shredder.receipt(
      'tenant_destruction',
      null,
      gone,
      { counts: { users: 3 }, objects: [] },
      undefined,
      { name: 'Contoso Retail', slug: 'contoso' },
    );
    const row = await receipts.destructionReport(id);
    if (!row) throw new Error(`no report ${id}`);
    const claims = await verified(row?.signed ?? '');
    expect(claims).toMatchObject({
      jti: id,
      sub: gone,
      kind: 'tenant_destruction',
      organisation: gone,
      organisationName: 'Contoso Retail',
      receipt: {
        id,
        organisationId: gone,
        organisationName: 'Contoso Retail',
        organisationSlug: 'contoso',
        verified: true,
        objects: [],
      },
    });
    expect((await seals.report(row)).token).toBe(row?.signed);
    expect(decodeJwt(row?.signed ?? '')['receipt']).toEqual((await seals.report(row)).receipt);
  });

  it('a receipt that cannot be signed when written is still written, and signed at its first download', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(signer, 'sign').mockRejectedValueOnce(new Error('key unavailable'));
    const { tenant, id } = await erasureReceipt();
    expect(errors).toHaveBeenCalledWith(expect.stringContaining(`deletion receipt ${id} could not be signed now`));
    const row = await stored(tenant, id);
    expect(row.signed).toBeNull();
    const sealed = await seals.receipt(row);
    expect((await verified(sealed.token))['jti']).toBe(id);
  });

  it("a kept form that is not the receipt's own (another receipt's token, not a token) is never handed out as it: signed again, and logged", async () => {
    const one = await erasureReceipt();
    const other = await erasureReceipt();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const othersToken = (await stored(other.tenant, other.id)).signed;
    // this receipt's own claims, signed by a key the installation does not publish (another secret)
    const unpublished = await new ReceiptSigner(
      loadConfig({ APP_SECRET: 'another-secret-of-at-least-thirty-two-chars', PUBLIC_URL: 'https://rehearse.test' }),
      clock,
    ).sign(one.id, one.person, { kind: 'erasure', organisation: one.tenant, receipt: { id: one.id } });
    for (const kept of [othersToken, unpublished, 'not.a.token', 'eyJhbGciOiJub25lIn0.eyJqdGkiOiJ4In0.']) {
      await m.db.query(`UPDATE deletion_receipts SET signed = $2 WHERE id = $1`, [one.id, kept]);
      const sealed = await seals.receipt(await stored(one.tenant, one.id));
      expect(sealed.token).not.toBe(kept);
      expect(await verified(sealed.token)).toMatchObject({ jti: one.id, receipt: { id: one.id } });
    }
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`the signed form kept with deletion receipt ${one.id} is not its own`),
    );
  });
});
