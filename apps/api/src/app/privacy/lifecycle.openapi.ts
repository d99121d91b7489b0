/* Response schemas of the data-lifecycle routes for the OpenAPI document (mirroring @rehearse/shared/contracts). */
import { ApiProperty } from '@nestjs/swagger';
import type {
  DeletionReceipt,
  KeepPolicy,
  KeepRequest,
  KeepStatus,
  MyRetention,
  ReceiptKind,
  RetentionSettings,
  TenantAgreement,
  DataExport,
  ExportState,
} from '@rehearse/shared/contracts';

const KEEP = ['requested', 'approved', 'declined'];

class KeepStateDto {
  @ApiProperty({ enum: KEEP }) status!: KeepStatus;
  @ApiProperty({ type: String, nullable: true }) until!: string | null;
  @ApiProperty({ type: String, nullable: true }) requestedAt!: string | null;
}

export class MyRetentionDto implements MyRetention {
  @ApiProperty({ type: String, nullable: true }) licenceExpiresOn!: string | null;
  @ApiProperty({ description: 'the licence expired: answers, recordings and feedback are hidden' }) hidden!: boolean;
  @ApiProperty({ type: String, nullable: true }) deletionDueOn!: string | null;
  @ApiProperty({ type: String, nullable: true }) noticeSentAt!: string | null;
  @ApiProperty() mayAskToKeep!: boolean;
  @ApiProperty({ type: KeepStateDto, nullable: true }) keep!: MyRetention['keep'];
  @ApiProperty({ enum: ['approval', 'automatic'] }) keepPolicy!: KeepPolicy;
  @ApiProperty() recordings!: number;
  @ApiProperty({ type: String, nullable: true }) mediaDeletedAt!: string | null;
}

export class KeepRequestDto implements KeepRequest {
  @ApiProperty() userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty() licenceExpiresOn!: string;
  @ApiProperty() deletionDueOn!: string;
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ enum: KEEP }) status!: KeepStatus;
  @ApiProperty({ type: String, nullable: true }) keepUntil!: string | null;
}

export class RetentionSettingsOutDto implements RetentionSettings {
  @ApiProperty() deleteAfterDays!: number;
  @ApiProperty() noticeDays!: number;
  @ApiProperty({ enum: ['approval', 'automatic'] }) keepPolicy!: KeepPolicy;
  @ApiProperty() keepDays!: number;
}

class ReceiptObjectDto {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'the store confirmed the object is gone' }) verified!: boolean;
}

export class DeletionReceiptDto implements DeletionReceipt {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['licence_expiry', 'erasure', 'tenant_destruction'] }) kind!: ReceiptKind;
  @ApiProperty() subjectId!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() verified!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) counts!: Record<string, number>;
  @ApiProperty({ type: [ReceiptObjectDto] }) objects!: { key: string; verified: boolean }[];
}

export class DeletionReceiptPageDto {
  @ApiProperty({ type: [DeletionReceiptDto] }) items!: DeletionReceipt[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ErasureResultDto {
  @ApiProperty() receiptId!: string;
  @ApiProperty({ description: 'every object confirmed gone' }) verified!: boolean;
}

export class TenantAgreementDto implements TenantAgreement {
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: String, nullable: true }) endsOn!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'everything of the tenant is destroyed on this day' })
  destroyOn!: string | null;
  @ApiProperty() users!: number;
}

export class DataExportDto implements DataExport {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['user', 'tenant'] }) scope!: 'user' | 'tenant';
  @ApiProperty({ type: String, nullable: true, description: "the person; null for the organisation's export" })
  subjectId!: string | null;
  @ApiProperty({ description: 'the person, or the organisation' }) subjectName!: string;
  @ApiProperty({ enum: ['queued', 'building', 'ready', 'failed', 'expired'] }) state!: ExportState;
  @ApiProperty({ description: '0–100 while building' }) progress!: number;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
}
