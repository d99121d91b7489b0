import type { PrivacyLogEntry, PrivacyLogLooks } from '@rehearse/shared/contracts';

/** A privacy-log row as the API answers it: Cora Coach played Pim's recording `r1`; `extra` changes it. */
export function privacyLogEntry(id: number, extra: Partial<PrivacyLogEntry> = {}): PrivacyLogEntry {
  return {
    id: String(id),
    at: '2026-11-29T12:00:00Z',
    tenantId: 't',
    actorId: 'c',
    actorName: 'Cora Coach',
    actorRole: 'coach',
    subjectId: 'me',
    subjectName: 'Pim',
    objectType: 'recording',
    objectId: 'r1',
    action: 'play',
    impersonatorId: null,
    impersonatorName: null,
    supportReason: null,
    ...extra,
  };
}

/** An entry of a person's own log as the API answers it: `privacyLogEntry`'s look, once unless `extra` says more. */
export function privacyLogLooks(id: number, extra: Partial<PrivacyLogLooks> = {}): PrivacyLogLooks {
  const entry = privacyLogEntry(id, extra);
  return { ...entry, count: 1, firstAt: entry.at, ...extra };
}
