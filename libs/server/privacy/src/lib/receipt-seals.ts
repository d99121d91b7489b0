import { isDeepStrictEqual } from 'node:util';
import { Injectable, Logger } from '@nestjs/common';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { DeletionReceipt, DestructionReport } from '@rehearse/shared/contracts';
import { AccountsFootprintRepository } from '@rehearse/server/accounts';
import {
  DeletionReceiptsRepository,
  destructionReportOf,
  receiptOf,
  type SealableRow,
} from './deletion-receipts.repository';
import { ReceiptSigner } from './receipt-signer';

/** A receipt as it was signed, and its signed form (a compact JSON Web Token). */
export interface Sealed<T> {
  receipt: T;
  token: string;
}

/**
 * The signed form of every deletion receipt and destruction report, made when the installation
 * writes it and again when a later check confirms gone the objects it had left behind, and kept
 * with it (`deletion_receipts.signed`). A download hands out that token: what the installation said
 * then, with that time as the token's `iat`. A row changed at the database afterwards is not
 * signed again: its download is the token as signed, and the change is logged as an error. A
 * receipt written before receipts were signed when written is signed at its first download and
 * kept from then on.
 */
@Injectable()
export class ReceiptSeals {
  private readonly logger = new Logger(ReceiptSeals.name);

  constructor(
    private readonly receipts: DeletionReceiptsRepository,
    private readonly signer: ReceiptSigner,
    private readonly organisations: AccountsFootprintRepository,
  ) {}

  /**
   * Signs the receipt as it stands now and keeps the signed form with it: when it is written, and
   * when its deletion is confirmed later. A failure is logged, not thrown: the deletion it records
   * has happened, and a receipt without its signed form is signed at its first download.
   */
  async seal(id: string): Promise<void> {
    try {
      const row = await this.receipts.toSeal(id);
      if (row) await this.receipts.seal(id, (await this.sign(row)).token);
    } catch (e) {
      this.logger.error(`deletion receipt ${id} could not be signed now (it is signed when downloaded): ${String(e)}`);
    }
  }

  /** A person's deletion receipt (or an erasure's) in its signed form. */
  receipt(row: SealableRow): Promise<Sealed<DeletionReceipt>> {
    return this.kept(row) as Promise<Sealed<DeletionReceipt>>;
  }

  /** A destroyed organisation's report in its signed form. */
  report(row: SealableRow): Promise<Sealed<DestructionReport>> {
    return this.kept(row) as Promise<Sealed<DestructionReport>>;
  }

  /** The signed form kept with the row; signed now and kept where the row has none. */
  private async kept(row: SealableRow): Promise<Sealed<DeletionReceipt | DestructionReport>> {
    if (!row.signed) {
      const sealed = await this.sign(row);
      await this.receipts.seal(row.id, sealed.token);
      return sealed;
    }
    const signed = await this.ownClaims(row.id, row.signed);
    if (!signed) {
      // not a token, another receipt's, or signed by a key the installation no longer publishes (one
      // left out of RECEIPT_RETIRED_KEYS as leaked): never handed out as this one's
      this.logger.error(
        `the signed form kept with deletion receipt ${row.id} is not its own (changed at the database, or signed with a key no longer published): signed again from the row as it is`,
      );
      return this.sign(row);
    }
    if (!isDeepStrictEqual(signed, shown(row)))
      this.logger.error(
        `deletion receipt ${row.id} differs from what the installation signed when it wrote it: changed at the database since; handed out as signed`,
      );
    return { receipt: signed, token: row.signed };
  }

  /** The receipt a kept token records, when it is a token of this receipt signed with one of the installation's keys. */
  private async ownClaims(id: string, token: string): Promise<DeletionReceipt | DestructionReport | undefined> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(await this.signer.keys()), {
        algorithms: ['EdDSA'],
      });
      return payload.jti === id ? (payload['receipt'] as DeletionReceipt | DestructionReport) : undefined;
    } catch {
      return undefined;
    }
  }

  private async sign(row: SealableRow): Promise<Sealed<DeletionReceipt | DestructionReport>> {
    const receipt = shown(row);
    // a person's receipt names their organisation as it is called now; a report, the organisation as it was
    const organisation = row.tenant_id ?? row.subject_id;
    const organisationName = row.tenant_id
      ? (await this.organisations.organisation(row.tenant_id))?.name
      : (row.subject_name ?? undefined);
    const token = await this.signer.sign(row.id, row.subject_id, {
      kind: row.kind,
      organisation,
      ...(organisationName ? { organisationName } : {}),
      receipt,
    });
    return { receipt, token };
  }
}

/** The receipt as the API shows it: a person's, or a destroyed organisation's report. */
function shown(row: SealableRow): DeletionReceipt | DestructionReport {
  return row.tenant_id === null ? destructionReportOf(row) : receiptOf(row);
}
