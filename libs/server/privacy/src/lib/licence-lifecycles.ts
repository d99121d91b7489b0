import type { LicenceLifecycleRow } from '@rehearse/server/accounts';
import type { RecordingsFootprintRepository } from '@rehearse/server/recordings';

/** A licence's lifecycle and how many answer recordings its person still has. */
export type Lifecycle = LicenceLifecycleRow & { recordings: number };

/** The lifecycles with their people's recordings counted; `onlyWithRecordings`: those with none left out. */
export async function withRecordings(
  recordings: RecordingsFootprintRepository,
  rows: LicenceLifecycleRow[],
  onlyWithRecordings = false,
): Promise<Lifecycle[]> {
  const kept = await recordings.keptAnswerRecordings(rows.map((r) => r.user_id));
  return rows
    .map((r) => ({ ...r, recordings: kept.get(r.user_id) ?? 0 }))
    .filter((r) => !onlyWithRecordings || r.recordings > 0);
}
