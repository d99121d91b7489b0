import { Injectable } from '@nestjs/common';
import type { DeletionReceipt, DestructionReport, ReceiptKeySet } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { AccountsFootprintRepository } from '@rehearse/server/accounts';
import { notFound } from '@rehearse/server/core';
import { DeletionReceiptsRepository, receiptOf } from './deletion-receipts.repository';
import { ReceiptSigner } from './receipt-signer';
import { TenantDestructionService } from './tenant-destruction.service';

/** A receipt with its signed form (a compact JSON Web Token) and the name its download takes. */
export interface SignedReceipt<T> {
  receipt: T;
  token: string;
  fileName: string;
}

/**
 * Receipts that leave the installation: an organisation's deletion receipt (a person's recordings
 * deleted after their licence, a person erased) for its administrators to hand on, and a destroyed
 * organisation's report for the operator's support, each signed by the installation (ReceiptSigner)
 * so that whoever receives it can check where it came from and that nothing in it was changed.
 */
@Injectable()
export class SignedReceipts {
  constructor(
    private readonly access: AccessService,
    private readonly receipts: DeletionReceiptsRepository,
    private readonly destruction: TenantDestructionService,
    private readonly signer: ReceiptSigner,
    private readonly organisations: AccountsFootprintRepository,
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
    const receipt = receiptOf(row);
    const organisationName = (await this.organisations.organisation(tenantId))?.name;
    const token = await this.signer.sign(receipt.id, receipt.subjectId, {
      kind: receipt.kind,
      organisation: tenantId,
      ...(organisationName ? { organisationName } : {}),
      receipt,
    });
    return {
      receipt,
      token,
      fileName: `deletion-receipt-${receipt.createdAt.slice(0, 10)}-${receipt.id.slice(0, 8)}.jwt`,
    };
  }

  /** A destroyed organisation's report in full, signed. */
  async destructionReport(id: string): Promise<SignedReceipt<DestructionReport>> {
    const report = await this.destruction.report(id);
    const token = await this.signer.sign(report.id, report.organisationId, {
      kind: 'tenant_destruction',
      organisation: report.organisationId,
      ...(report.organisationName ? { organisationName: report.organisationName } : {}),
      receipt: report,
    });
    return {
      receipt: report,
      token,
      fileName: `destruction-report-${report.organisationSlug ?? report.organisationId}-${report.createdAt.slice(0, 10)}.jwt`,
    };
  }
}
