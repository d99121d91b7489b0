import { Inject, Injectable } from '@nestjs/common';
import { EXPORT_KEEP_DAYS } from '@rehearse/shared/contracts';
import { Clock, conflict } from '@rehearse/server/core';
import { LicenceLifecycleRepository } from '@rehearse/server/accounts';
import { BLOB_STORE, BlobStore } from '@rehearse/server/storage';
import { DataExportsRepository, type ExportRow, WITHDRAWN_BY_LICENCE } from './data-exports.repository';

/**
 * Exports that hold answers a licence has hidden since they were made. From the day a licence
 * ends (by its date, or because an administrator set an end already past) its holder's answers
 * are hidden from everyone, the holder included, and an export built after it leaves them out;
 * an archive built before would hand them out for the rest of its days (the person's own, an
 * administrator's export of them, the organisation's). Such an archive is not downloaded from
 * that day on (`refuseDownload`), is answered as withdrawn at once (`withdrawnSince`: the lists
 * and the export's page say so from that day, not from the round), and the worker's hourly
 * retention round withdraws it (`withdraw`: expired with why, its archive deleted, one being built
 * never made ready).
 */
@Injectable()
export class ExportsOfHiddenAnswers {
  constructor(
    private readonly licences: LicenceLifecycleRepository,
    private readonly exports: DataExportsRepository,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly clock: Clock,
  ) {}

  /** Whether the export holds answers a licence has hidden since it was asked for. */
  async holdsHidden(r: ExportRow): Promise<boolean> {
    const hidden = await this.licences.hiddenSince(
      r.created_at,
      this.clock.today(),
      r.subject_id ? { tenantId: r.tenant_id, userId: r.subject_id } : { tenantId: r.tenant_id },
    );
    return hidden.length > 0;
  }

  /** Refuses (409) the download of an export that holds answers hidden since it was asked for. */
  async refuseDownload(r: ExportRow): Promise<void> {
    if (await this.holdsHidden(r)) throw conflict(WITHDRAWN_BY_LICENCE);
  }

  /**
   * The rows as they are to be answered: a ready one that holds answers hidden since it was asked
   * for is withdrawn (expired, saying why) from that day, as the retention round will record it
   * within the hour; the others as they are (one queued or being built is withdrawn by the round,
   * or answered so once ready, and meanwhile still holds the place of a new one).
   */
  async withdrawnSince(rows: ExportRow[]): Promise<ExportRow[]> {
    return Promise.all(
      rows.map(async (r) =>
        r.state === 'ready' && (await this.holdsHidden(r))
          ? { ...r, state: 'expired' as const, error: WITHDRAWN_BY_LICENCE }
          : r,
      ),
    );
  }

  /**
   * Withdraws every export (in every organisation) that holds answers hidden since it was asked
   * for, and deletes its archive; how many. An export lives EXPORT_KEEP_DAYS, so only the licences
   * hidden since the oldest live one was asked for can be in one.
   */
  async withdraw(): Promise<number> {
    const oldest = new Date(this.clock.now().getTime() - (EXPORT_KEEP_DAYS + 1) * 86_400_000);
    const hidden = await this.licences.hiddenSince(oldest, this.clock.today());
    const withdrawn = await this.exports.withdrawHolding(hidden, this.clock.timeZone, WITHDRAWN_BY_LICENCE);
    for (const w of withdrawn) if (w.object_key) await this.store.delete(w.object_key);
    return withdrawn.length;
  }
}
