import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ReceiptKeySet } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, Public, RequirePermission } from '@rehearse/server/access';
import { IdParam } from '@rehearse/server/accounts';
import { Refuses } from '@rehearse/server/core';
import { ReceiptKeySetDto, type SignedReceipt, SignedReceipts } from '@rehearse/server/privacy';

/** A signed receipt as a download: the compact JSON Web Token, named for what it records. */
function sendSigned(res: Response, signed: SignedReceipt<unknown>): void {
  const name = signed.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  res
    .type('application/jwt')
    .setHeader('Content-Disposition', `attachment; filename="${name}"`)
    .setHeader('X-Content-Type-Options', 'nosniff')
    .send(signed.token);
}

const SIGNED = {
  description:
    'A JSON Web Token (RFC 7519) signed with Ed25519 (EdDSA) by the installation: its claims are `iss` (the installation’s address), `iat` (when it was signed), `sub` (the person or organisation), `jti` (the receipt’s id), `kind`, `organisation` and `organisationName` (the organisation and its name when signed) and `receipt` (the receipt as the API shows it). Checked with the key of `GET /api/receipts/keys` (`npm run receipt:verify`).',
  schema: {
    type: 'string',
    example: 'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLiJ9.eyJraW5kIjoiLi4uIn0.c2lnbmF0dXJl',
  },
} as const;

/**
 * Receipts that leave the installation, signed: an organisation's deletion receipts for its
 * administrators, destroyed organisations' reports for the operator's support, and the public key
 * anyone checks them with.
 */
@ApiTags('data protection')
@Controller()
export class ReceiptsController {
  constructor(private readonly signed: SignedReceipts) {}

  @Public()
  @ApiOperation({
    summary: 'The public keys that sign receipts (a JWK Set)',
    description:
      'The Ed25519 key whose signature a downloaded deletion receipt or destruction report carries, as a JSON Web Key Set (RFC 7517): whoever receives a receipt checks it with this key, without an account here. Note its `kid` (its RFC 7638 thumbprint) where you keep the receipt. The key that signs now comes first; keys the installation signed with before its key changed follow where the operator kept them (`RECEIPT_RETIRED_KEYS`), so receipts handed out earlier still check.',
  })
  @Get('receipts/keys')
  @ApiOkResponse({ type: ReceiptKeySetDto })
  keys(): Promise<ReceiptKeySet> {
    return this.signed.keys();
  }

  @RequirePermission('privacy.read')
  @ApiOperation({
    summary: 'Download a deletion receipt of the organisation, signed',
    description:
      'One of the organisation’s deletion receipts (a person’s recordings deleted after their licence, a person erased) as a signed JSON Web Token: what an administrator hands the person or an auditor.',
  })
  @Refuses(404, 'No such deletion receipt in your organisation')
  @Get('admin/deletion-receipts/:id/signed')
  @ApiProduces('application/jwt')
  @ApiOkResponse(SIGNED)
  async receipt(@CurrentActor() actor: Actor, @Param() p: IdParam, @Res() res: Response): Promise<void> {
    sendSigned(res, await this.signed.organisationReceipt(actor, p.id));
  }

  @RequirePermission('account.self')
  @ApiOperation({
    summary: 'Download a deletion receipt about oneself, signed',
    description:
      'The receipt of the deletion of your recordings after your licence ended (its id is `receiptId` of `GET /api/my/retention`) as a signed JSON Web Token, which you can check yourself with the installation’s public key.',
  })
  @Refuses(404, 'No such deletion receipt about you')
  @Get('my/deletion-receipts/:id/signed')
  @ApiProduces('application/jwt')
  @ApiOkResponse(SIGNED)
  async own(@CurrentActor() actor: Actor, @Param() p: IdParam, @Res() res: Response): Promise<void> {
    sendSigned(res, await this.signed.ownReceipt(actor, p.id));
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({
    summary: "Download a destroyed organisation's report, signed",
    description:
      'The destruction report in full (every object, with the store’s confirmation that it is gone) as a signed JSON Web Token: what the operator hands the organisation or its auditor.',
  })
  @Refuses(404, 'No such destruction report')
  @Get('superuser/destruction-reports/:id/signed')
  @ApiProduces('application/jwt')
  @ApiOkResponse(SIGNED)
  async destructionReport(@Param() p: IdParam, @Res() res: Response): Promise<void> {
    sendSigned(res, await this.signed.destructionReport(p.id));
  }
}
