/* The privacy log's response shapes (see responses.dto.ts in the other libraries for how they feed OpenAPI). */
import type { PrivacyLogEntry, PrivacyLogIntegrity, PrivacyLogLooks } from '@rehearse/shared/contracts';

export class PrivacyLogEntryDto implements PrivacyLogEntry {
  /** @example '7babc233-de26-4b19-aad1-b9c278128d5c' */
  id!: string;
  /** @example '2026-11-30T09:15:00.000Z' */
  at!: string;
  /** @example 'b32c3765-e5dc-497e-b259-7c99fcaee9af' */
  tenantId!: string | null;
  /** @example 'c63c8ec7-f6e2-4088-b407-6f269e863af5' */
  actorId!: string | null;
  /** @example 'Grace Hopper' */
  actorName!: string | null;
  /** @example 'coach' */
  actorRole!: string;
  /** @example '12dea96f-ec20-4935-a6ab-75692c994959' */
  subjectId!: string;
  /** @example 'Ada Lovelace' */
  subjectName!: string | null;
  /** @example 'answer' */
  objectType!: string;
  /** @example '25dc282b-5a3d-4ba6-aa9a-777a856c65dd' */
  objectId!: string;
  /** @example 'view_answer' */
  action!: string;
  /** @example '8e67bb26-b358-42ed-a0fe-552ed6fb832f' */
  impersonatorId!: string | null;
  /** @example 'Support desk (Linus)' */
  impersonatorName!: string | null;
  /**
   * why the operator's support acted as the person (an impersonation's start); null for any other row
   * @example 'Ticket 4711: the participant cannot see her feedback'
   */
  supportReason!: string | null;
}

export class PrivacyLogPageDto {
  items!: PrivacyLogEntryDto[];
  /** @example 132 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 25 */
  pageSize!: number;
}

/** The last check of the organisation's privacy log for changes made outside the application. */
export class PrivacyLogIntegrityDto implements PrivacyLogIntegrity {
  /**
   * when it was last checked (null: not yet)
   * @example '2026-12-06T03:00:12.000Z'
   */
  checkedAt!: string | null;
  /**
   * how many entries that check read (up to the first changed one; `removed`: how many the check
   * before had read up to `brokenAtId`, which every check counts again until the operator clears it)
   * @example 1240343
   */
  entriesChecked!: number;
  /**
   * what the check found: `changed` (an entry changed, or one missing from the middle of its chain)
   * or `removed` (entries an earlier check read are gone); null: every entry intact, or not checked
   * @example 'changed'
   */
  broken!: 'changed' | 'removed' | null;
  /**
   * `changed`: the first entry out of its chain; `removed`: the last entry the check before read
   * @example '884213'
   */
  brokenAtId!: string | null;
}

/** A person's own log as they read it: one entry for the same look repeated on one day. */
export class PrivacyLogLooksDto extends PrivacyLogEntryDto implements PrivacyLogLooks {
  /**
   * how many looks of this kind, at this object, by this person, that day (UTC)
   * @example 3
   */
  count!: number;
  /**
   * the first of them (`at` is the last)
   * @example '2026-11-30T08:40:00.000Z'
   */
  firstAt!: string;
}

export class PrivacyLogLooksPageDto {
  items!: PrivacyLogLooksDto[];
  /** @example 12 */
  total!: number;
  /** @example 1 */
  page!: number;
  /** @example 10 */
  pageSize!: number;
}
