/*
 * The data-lifecycle routes' response shapes (retention, keep requests, deletion receipts, exports,
 * the organisation's agreement). Their OpenAPI schemas come from these declarations through
 * @nestjs/swagger's compiler plugin (npm run openapi:metadata).
 */
import type {
  DataExport,
  DeletionReceipt,
  DestructionReport,
  DestructionReportSummary,
  ExportState,
  KeepPolicy,
  KeepRequest,
  KeepStatus,
  PrivacyLogState,
  MyRetention,
  ReceiptKey,
  ReceiptKeySet,
  ReceiptKind,
  RetentionSettings,
  TenantAgreement,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class KeepStateDto {
  status!: KeepStatus;
  /** @example '2027-11-30' */
  until!: string | null;
  /** @example '2026-11-20T10:00:00.000Z' */
  requestedAt!: string | null;
}

export class MyRetentionDto implements MyRetention {
  /** @example '2026-12-31' */
  licenceExpiresOn!: string | null;
  /** the licence expired: answers, recordings and feedback are hidden */
  hidden!: boolean;
  /** @example '2027-02-14' */
  deletionDueOn!: string | null;
  /** @example '2027-01-31T02:00:00.000Z' */
  noticeSentAt!: string | null;
  mayAskToKeep!: boolean;
  keep!: KeepStateDto | null;
  keepPolicy!: KeepPolicy;
  /** @example 6 */
  recordings!: number;
  /** @example '2027-02-14T02:00:00.000Z' */
  mediaDeletedAt!: string | null;
  /**
   * the receipt of that deletion, which you may download signed (`GET /api/my/deletion-receipts/{id}/signed`)
   * @example '14e60ace-3d83-4eb2-b4ce-d4ff5ffbf534'
   */
  receiptId!: string | null;
}

export class KeepRequestDto implements KeepRequest {
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  userId!: string;
  /** @example 'Ada Lovelace' */
  name!: string;
  /** @example 'ada.lovelace@northwind.example' */
  email!: string;
  /** @example '2026-12-31' */
  licenceExpiresOn!: string;
  /** @example '2027-02-14' */
  deletionDueOn!: string;
  /** @example '2026-11-20T10:00:00.000Z' */
  requestedAt!: string;
  status!: KeepStatus;
  /** @example '2027-11-30' */
  keepUntil!: string | null;
}

export class RetentionSettingsOutDto implements RetentionSettings {
  /** @example 45 */
  deleteAfterDays!: number;
  /** @example 14 */
  noticeDays!: number;
  keepPolicy!: KeepPolicy;
  /** @example 365 */
  keepDays!: number;
}

export class ReceiptObjectDto {
  /** @example 'recordings/northwind/answer.webm' */
  key!: string;
  /** the store confirmed the object is gone */
  verified!: boolean;
}

export class DeletionReceiptDto implements DeletionReceipt {
  /** @example '14e60ace-3d83-4eb2-b4ce-d4ff5ffbf534' */
  id!: string;
  kind!: ReceiptKind;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  subjectId!: string;
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
  verified!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { answers: 12, recordings: 12, reviews: 9, transcripts: 12 },
  })
  counts!: Record<string, number>;
  objects!: ReceiptObjectDto[];
}

export class DeletionReceiptPageDto {
  items!: DeletionReceiptDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class ErasureResultDto {
  /** @example '14e60ace-3d83-4eb2-b4ce-d4ff5ffbf534' */
  receiptId!: string;
  /** every object confirmed gone */
  verified!: boolean;
}

export class DestructionReportSummaryDto implements DestructionReportSummary {
  /** @example '14e60ace-3d83-4eb2-b4ce-d4ff5ffbf534' */
  id!: string;
  /**
   * the destroyed organisation's id (it resolves to nothing any more)
   * @example 'b32c3765-e5dc-497e-b259-7c99fcaee9af'
   */
  organisationId!: string;
  /**
   * the organisation's name when it was destroyed; null in reports written before names were kept
   * @example 'Northwind Sales'
   */
  organisationName!: string | null;
  /** @example 'northwind' */
  organisationSlug!: string | null;
  /** @example '2027-03-31T02:00:00.000Z' */
  createdAt!: string;
  /** the store confirmed every object gone */
  verified!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    description: 'what went: people, rows per table, objects, keys destroyed, queued jobs dropped',
    example: { users: 412, answers: 9800, recordings: 9650, objects: 19300, keysDestroyed: 413, queuedJobs: 0 },
  })
  counts!: Record<string, number>;
  /**
   * why, where it was not the end of the agreement: an organisation destroyed before that a
   * database restored from an earlier backup brought back, destroyed again
   * @example 'Destroyed again: destroyed before, the organisation came back with a database restored from an earlier backup'
   */
  reason?: string;
}

export class DestructionReportDto extends DestructionReportSummaryDto implements DestructionReport {
  objects!: ReceiptObjectDto[];
}

export class ReceiptKeyDto implements ReceiptKey {
  @ApiProperty({ enum: ['OKP'] })
  kty!: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] })
  crv!: 'Ed25519';
  /**
   * the public key, base64url
   * @example 'rJ3c1mO3Fh0p0Hj8s2n2Qm3vCqz2xv7l6tVYyW1kq0E'
   */
  x!: string;
  /**
   * the key's RFC 7638 thumbprint, which a signed receipt's header names
   * @example 'kR6aFhZ8sV3tQm2pW9xY1cB4nL7dE0gH5jK8oP2rS6u'
   */
  kid!: string;
  @ApiProperty({ enum: ['sig'] })
  use!: 'sig';
  @ApiProperty({ enum: ['EdDSA'] })
  alg!: 'EdDSA';
}

export class ReceiptKeySetDto implements ReceiptKeySet {
  keys!: ReceiptKeyDto[];
}

export class DestructionReportPageDto {
  items!: DestructionReportSummaryDto[];
  /** @example 3 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class TenantAgreementDto implements TenantAgreement {
  /** @example 'b32c3765-e5dc-497e-b259-7c99fcaee9af' */
  tenantId!: string;
  /** @example 'Northwind Sales' */
  name!: string;
  /** @example 'northwind' */
  slug!: string;
  /** @example '2027-01-31' */
  endsOn!: string | null;
  /**
   * everything of the tenant is destroyed on this day
   * @example '2027-03-31'
   */
  destroyOn!: string | null;
  /** @example 412 */
  users!: number;
  /**
   * what the last nightly check of the organisation's privacy log found
   * @example 'intact'
   */
  privacyLog!: PrivacyLogState;
}

export class TenantAgreementPageDto {
  items!: TenantAgreementDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

export class DataExportDto implements DataExport {
  /** @example '51713409-9355-46d6-bd06-6e104eb1ad0e' */
  id!: string;
  scope!: 'user' | 'tenant';
  /**
   * the person; null for the organisation's export
   * @example '12dea96f-ec20-4935-a6ab-75692c994959'
   */
  subjectId!: string | null;
  /**
   * the person, or the organisation
   * @example 'Ada Lovelace'
   */
  subjectName!: string;
  /** @example 'expired' */
  state!: ExportState;
  /**
   * 0–100 while building
   * @example 100
   */
  progress!: number;
  /** @example 18874368 */
  sizeBytes!: number | null;
  /**
   * why it failed (for example "The store could not be reached; try again"); on an export expired
   * before its time, why it was withdrawn (in English: see `withdrawn`)
   * @example 'Withdrawn: a licence ended since it was made, hiding answers it holds. Make a new export: it leaves them out.'
   */
  error!: string | null;
  /**
   * an export expired before its time: withdrawn because a person in it was erased (an
   * organisation's export), or because a licence ended since it was made, hiding answers it held
   * @example 'licence'
   */
  withdrawn?: 'erasure' | 'licence';
  /** @example '2026-09-01T08:00:00.000Z' */
  createdAt!: string;
  /** @example '2026-11-30T09:17:30.000Z' */
  finishedAt!: string | null;
  /** @example '2026-11-30T10:15:00.000Z' */
  expiresAt!: string | null;
}
