/** The data-protection lifecycle: retention after licence expiry, keep requests, deletion receipts. */
import type { Locale } from './locale';

export type KeepPolicy = 'approval' | 'automatic';
export type KeepStatus = 'requested' | 'approved' | 'declined';

/** A tenant's retention settings: recordings go `deleteAfterDays` after the licence expires, with a notice `noticeDays` before. */
export interface RetentionSettings {
  deleteAfterDays: number;
  noticeDays: number;
  /** a participant's request to keep their recordings goes to the administrators, or is granted at once */
  keepPolicy: KeepPolicy;
  /** how much longer recordings are kept when a request is granted */
  keepDays: number;
}

export const RETENTION_DEFAULTS: RetentionSettings = {
  deleteAfterDays: 45,
  noticeDays: 14,
  keepPolicy: 'approval',
  keepDays: 365,
};

/** What a user sees about their own data's lifecycle. */
export interface MyRetention {
  licenceExpiresOn: string | null;
  /** the licence has expired: answers, recordings and feedback are hidden */
  hidden: boolean;
  /** when the recordings will be deleted (null: not scheduled) */
  deletionDueOn: string | null;
  noticeSentAt: string | null;
  /** the notice period has begun: the user may ask to keep their recordings */
  mayAskToKeep: boolean;
  keep: { status: KeepStatus; until: string | null; requestedAt: string | null } | null;
  keepPolicy: KeepPolicy;
  /** recordings still stored */
  recordings: number;
  mediaDeletedAt: string | null;
  /** the receipt of that deletion, which the person may download signed (null: none) */
  receiptId: string | null;
}

/** A participant's request to keep their recordings, as administrators see it. */
export interface KeepRequest {
  userId: string;
  name: string;
  email: string;
  licenceExpiresOn: string;
  deletionDueOn: string;
  requestedAt: string;
  status: KeepStatus;
  keepUntil: string | null;
}

export type ReceiptKind = 'licence_expiry' | 'erasure' | 'tenant_destruction';

/** Proof of a deletion: what went, and whether the store confirmed each object gone. */
export interface DeletionReceipt {
  id: string;
  kind: ReceiptKind;
  subjectId: string;
  createdAt: string;
  verified: boolean;
  counts: Record<string, number>;
  objects: { key: string; verified: boolean }[];
}

/**
 * A destroyed organisation's report as the list shows it: when, which organisation, what went in
 * counts (people, rows per table, objects, keys, queued jobs) and whether the store confirmed every
 * object gone. The objects one by one are in the report itself (DestructionReport).
 */
export interface DestructionReportSummary {
  id: string;
  organisationId: string;
  /** the organisation's name and slug when it was destroyed (null in reports written before they were kept) */
  organisationName: string | null;
  organisationSlug: string | null;
  createdAt: string;
  verified: boolean;
  counts: Record<string, number>;
  /** why, where it was not the end of the agreement (destroyed again after a restore: `DESTROYED_AGAIN`) */
  reason?: string;
}

/**
 * A destruction report's reason (as signed, in English) where an organisation destroyed before came
 * back with a database restored from an earlier backup and was destroyed again.
 */
export const DESTROYED_AGAIN =
  'Destroyed again: destroyed before, the organisation came back with a database restored from an earlier backup';

/** A destroyed organisation's report in full: every object, with the store's confirmation that it is gone. */
export interface DestructionReport extends DestructionReportSummary {
  objects: { key: string; verified: boolean }[];
}

/**
 * A public key of the installation that signs receipts (a JSON Web Key, RFC 7517/8037): a signed
 * receipt or destruction report is a JSON Web Token whose header names the key by `kid`.
 */
export interface ReceiptKey {
  kty: 'OKP';
  crv: 'Ed25519';
  /** the public key, base64url */
  x: string;
  /** the key's RFC 7638 thumbprint: what a signed receipt's header names */
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

/** The keys a signed receipt may be checked with (a JWK Set). */
export interface ReceiptKeySet {
  keys: ReceiptKey[];
}

/** A client organisation's agreement as superusers see it: everything goes `destroyAfterDays` after the end date. */
export interface TenantAgreement {
  tenantId: string;
  name: string;
  slug: string;
  endsOn: string | null;
  /** when the tenant will be destroyed (null: no end date) */
  destroyOn: string | null;
  users: number;
  /** what the last nightly check of the organisation's privacy log found */
  privacyLog: PrivacyLogState;
}

/**
 * An organisation a superuser registers (`POST /api/superuser/tenants`), with its first
 * administrator, who is invited by e-mail to choose a password.
 */
export interface NewOrganisation {
  name: string;
  /** the short name people give at sign-in where their address opens accounts in several */
  slug: string;
  /** the organisation asks its people for passwords with upper- and lower-case letters, digits and symbols */
  requirePasswordComplexity?: boolean;
  administrator: {
    name: string;
    email: string;
    /** the language of the invitation (until they choose their own); by default the superuser's */
    locale?: Locale;
  };
}

/** A privacy log's last check: every entry intact, an entry changed, entries removed, or none yet. */
export type PrivacyLogState = 'intact' | 'changed' | 'removed' | 'unchecked';

export type ExportState = 'queued' | 'building' | 'ready' | 'failed' | 'expired';

/** One data export: a ZIP with data.json, the recordings decrypted, transcripts, feedback and the privacy log. */
export interface DataExport {
  id: string;
  /** one person's data, or everything of the organisation */
  scope: 'user' | 'tenant';
  /** the person (null for the organisation's export) */
  subjectId: string | null;
  subjectName: string;
  state: ExportState;
  /** 0–100 while building */
  progress: number;
  sizeBytes: number | null;
  /** why it failed; on an export expired before its time, why it was withdrawn (in English: see `withdrawn`) */
  error: string | null;
  /**
   * an export expired before its time: withdrawn because a person in it was erased (an
   * organisation's export), or because a licence ended since it was made, hiding answers it held
   */
  withdrawn?: 'erasure' | 'licence';
  createdAt: string;
  finishedAt: string | null;
  expiresAt: string | null;
}

/** Days an export stays downloadable. */
export const EXPORT_KEEP_DAYS = 7;
