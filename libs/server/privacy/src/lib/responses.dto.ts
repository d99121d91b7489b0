/*
 * The data-lifecycle routes' response shapes (retention, keep requests, deletion receipts, exports,
 * the organisation's agreement). Their OpenAPI schemas come from these declarations through
 * @nestjs/swagger's compiler plugin (npm run openapi:metadata).
 */
import type {
  DataExport,
  DeletionReceipt,
  ExportState,
  KeepPolicy,
  KeepRequest,
  KeepStatus,
  MyRetention,
  ReceiptKind,
  RetentionSettings,
  TenantAgreement,
} from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class KeepStateDto {
  status!: KeepStatus;
  until!: string | null;
  requestedAt!: string | null;
}

export class MyRetentionDto implements MyRetention {
  licenceExpiresOn!: string | null;
  /** the licence expired: answers, recordings and feedback are hidden */
  hidden!: boolean;
  deletionDueOn!: string | null;
  noticeSentAt!: string | null;
  mayAskToKeep!: boolean;
  keep!: KeepStateDto | null;
  keepPolicy!: KeepPolicy;
  recordings!: number;
  mediaDeletedAt!: string | null;
}

export class KeepRequestDto implements KeepRequest {
  userId!: string;
  name!: string;
  email!: string;
  licenceExpiresOn!: string;
  deletionDueOn!: string;
  requestedAt!: string;
  status!: KeepStatus;
  keepUntil!: string | null;
}

export class RetentionSettingsOutDto implements RetentionSettings {
  deleteAfterDays!: number;
  noticeDays!: number;
  keepPolicy!: KeepPolicy;
  keepDays!: number;
}

export class ReceiptObjectDto {
  key!: string;
  /** the store confirmed the object is gone */
  verified!: boolean;
}

export class DeletionReceiptDto implements DeletionReceipt {
  id!: string;
  kind!: ReceiptKind;
  subjectId!: string;
  createdAt!: string;
  verified!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) counts!: Record<string, number>;
  objects!: ReceiptObjectDto[];
}

export class DeletionReceiptPageDto {
  items!: DeletionReceiptDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}

export class ErasureResultDto {
  receiptId!: string;
  /** every object confirmed gone */
  verified!: boolean;
}

export class TenantAgreementDto implements TenantAgreement {
  tenantId!: string;
  name!: string;
  slug!: string;
  endsOn!: string | null;
  /** everything of the tenant is destroyed on this day */
  destroyOn!: string | null;
  users!: number;
}

export class DataExportDto implements DataExport {
  id!: string;
  scope!: 'user' | 'tenant';
  /** the person; null for the organisation's export */
  subjectId!: string | null;
  /** the person, or the organisation */
  subjectName!: string;
  state!: ExportState;
  /** 0–100 while building */
  progress!: number;
  sizeBytes!: number | null;
  error!: string | null;
  createdAt!: string;
  finishedAt!: string | null;
  expiresAt!: string | null;
}
