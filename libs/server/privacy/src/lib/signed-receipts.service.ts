import { Injectable } from '@nestjs/common';
import type { DeletionReceipt, DestructionReport, ReceiptKeySet } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { notFound } from '@rehearse/server/core';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { ReceiptSeals } from './receipt-seals';
import { ReceiptSigner } from './receipt-signer';

/** A receipt with its signed form (a compact JSON Web Token) and the name its download takes. */
export interface SignedReceipt<T> {
  receipt: T;
  token: string;
  fileName: string;
}

/**
 * Receipts that leave the installation: an organisation's deletion receipt (a person's recordings
 * deleted after their licence, a person erased) for its administrators to hand on, and a destroyed
 * organisation's report for the operator's support, each signed by the installation when it wrote
 * it (ReceiptSeals, ReceiptSigner) so that whoever receives it can check where it came from and
 * that nothing in it was changed.
 */
@Injectable()
export class SignedReceipts {
  constructor(
    private readonly access: AccessService,
    private readonly receipts: DeletionReceiptsRepository,
    private readonly seals: ReceiptSeals,
    private readonly signer: ReceiptSigner,
  ) {}

  /** The public key a signed receipt is checked with (a JWK Set). */
  keys(): Promise<ReceiptKeySet> {
    return this.signer.keys();
  }

  /** One of the actor's organisation's deletion receipts, signed (404 for another organisation's). */
  async organisationReceipt(actor: Actor, id: string): Promise<SignedReceipt<DeletionReceipt>> {
    return this.signedReceipt(actor, id, false);
  }

  /** A deletion receipt about the actor themselves, signed (404 for anyone else's). */
  async ownReceipt(actor: Actor, id: string): Promise<SignedReceipt<DeletionReceipt>> {
    return this.signedReceipt(actor, id, true);
  }

  private async signedReceipt(actor: Actor, id: string, own: boolean): Promise<SignedReceipt<DeletionReceipt>> {
    const tenantId = this.access.tenantOf(actor, 'Deletion receipt');
    const row = await this.receipts.receipt(tenantId, id);
    if (!row || (own && row.subject_id !== actor.userId)) throw notFound('Deletion receipt');
    const { receipt, token } = await this.seals.receipt(row);
    return {
      receipt,
      token,
      fileName: `deletion-receipt-${row.created_at.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.jwt`,
    };
  }

  /** A destroyed organisation's report in full, signed. */
  async destructionReport(id: string): Promise<SignedReceipt<DestructionReport>> {
    const row = await this.receipts.destructionReport(id);
    if (!row) throw notFound('Destruction report');
    const { receipt, token } = await this.seals.report(row);
    return {
      receipt,
      token,
      fileName: `destruction-report-${row.subject_slug ?? row.subject_id}-${row.created_at.toISOString().slice(0, 10)}.jwt`,
    };
  }
}
