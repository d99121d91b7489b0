/* The privacy log's response shapes (see responses.dto.ts in the other libraries for how they feed OpenAPI). */
import type { PrivacyLogEntry } from '@rehearse/shared/contracts';

export class PrivacyLogEntryDto implements PrivacyLogEntry {
  id!: string;
  at!: string;
  tenantId!: string | null;
  actorId!: string | null;
  actorName!: string | null;
  actorRole!: string;
  subjectId!: string;
  subjectName!: string | null;
  objectType!: string;
  objectId!: string;
  action!: string;
  impersonatorId!: string | null;
  impersonatorName!: string | null;
}

export class PrivacyLogPageDto {
  items!: PrivacyLogEntryDto[];
  total!: number;
  page!: number;
  pageSize!: number;
}
