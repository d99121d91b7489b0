import { Injectable } from '@nestjs/common';
import { AppError } from '@rehearse/server/core';
import type { Page, PrivacyLogEntry, PrivacyLogLooks } from '@rehearse/shared/contracts';
import {
  type PersonLogFilter,
  type PrivacyLogFilter,
  PrivacyLogRepository,
  type PrivacyLogRow,
} from '@rehearse/server/access';
import { ImpersonationsRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { AnswerRecordingsRepository } from '@rehearse/server/recordings';

/** The privacy-log listing counts exactly up to this many rows. */
export const COUNT_CAP = 10_000;

/**
 * The privacy log as its readers see it: an organisation's (the administrator's page and CSV) and
 * a person's own ("who looked at my data"), each row with the names of the people in it. The rows
 * come from the access core, which owns the table and writes its chains; the names from accounts'
 * directory, one look-up per page or batch.
 */
@Injectable()
export class PrivacyLogReader {
  constructor(
    private readonly rows: PrivacyLogRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly recordings: AnswerRecordingsRepository,
    private readonly impersonations: ImpersonationsRepository,
  ) {}

  /**
   * A person's own log ("who looked at my data"), or with `answerId` only the rows about that answer
   * and its recording (the answer's page: who has seen it). The rows are the person's own whatever
   * the id names: another person's answer finds none. The same look repeated on one day is one
   * entry with its count (PrivacyLogRepository.looksPage); the organisation's log keeps every row.
   */
  async own(
    person: { userId: string; tenantId: string | null },
    page: number,
    pageSize: number,
    answerId?: string,
  ): Promise<Page<PrivacyLogLooks>> {
    let filter: PersonLogFilter = { subjectId: person.userId };
    if (answerId) {
      const recording = person.tenantId
        ? (await this.recordings.ofAnswers(person.tenantId, [answerId])).get(answerId)
        : undefined;
      filter = { ...filter, objectIds: recording?.rec_id ? [answerId, recording.rec_id] : [answerId] };
    }
    return this.paged(
      page,
      pageSize,
      () => this.rows.looksCountUpTo(filter, COUNT_CAP),
      async () => {
        const rows = await this.rows.looksPage(filter, pageSize, (page - 1) * pageSize);
        return (await this.named(rows)).map((entry, i) => ({
          ...entry,
          count: Number(rows[i]['count']),
          firstAt: String(rows[i]['first_at']),
        }));
      },
    );
  }

  /**
   * One page, newest first; the total is exact up to COUNT_CAP and a lower bound (marked) beyond it.
   * Pages reach as far as the newest COUNT_CAP entries, as far as the total says: a page past them
   * made PostgreSQL step over every entry before it (page 40,000 of an organisation's million:
   * 0.5–4.9 s per request, measured), and a period (which reaches back as far), the CSV export or one
   * person's log holds the rest.
   */
  async list(filter: PrivacyLogFilter, page: number, pageSize: number): Promise<Page<PrivacyLogEntry>> {
    return this.paged(
      page,
      pageSize,
      () => this.rows.countUpTo(filter, COUNT_CAP),
      async () => this.named(await this.rows.page(filter, pageSize, (page - 1) * pageSize)),
    );
  }

  /** A page of entries with their total, capped at COUNT_CAP (see `list`). */
  private async paged<T>(
    page: number,
    pageSize: number,
    countUpTo: () => Promise<number>,
    items: () => Promise<T[]>,
  ): Promise<Page<T>> {
    if ((page - 1) * pageSize >= COUNT_CAP)
      throw new AppError(400, 'validation_failed', 'The request is not valid', [
        {
          field: 'page',
          messages: [
            `pages reach as far as the newest ${COUNT_CAP} entries: choose a period, export the log as CSV, or open one person's log`,
          ],
        },
      ]);
    const count = await countUpTo();
    const capped = count > COUNT_CAP;
    return {
      items: await items(),
      total: capped ? COUNT_CAP : count,
      page,
      pageSize,
      ...(capped ? { totalIsLowerBound: true } : {}),
    };
  }

  /**
   * Every entry matching the filter, oldest first, in batches of `batch` rows by id (keyset: each
   * batch is an index range scan), so a CSV export of millions of rows holds one batch in memory
   * (and writes each batch to the socket at once).
   */
  async *batches(filter: PrivacyLogFilter, batch = 2000): AsyncGenerator<PrivacyLogEntry[]> {
    let after = '0';
    for (;;) {
      const rows = await this.rows.batchAfter(filter, after, batch);
      if (rows.length) yield await this.named(rows);
      if (rows.length < batch) return;
      after = String(rows[rows.length - 1]['id']);
    }
  }

  /**
   * The rows as entries with the names of their actor, subject and impersonator. The ids come from
   * rows already limited to the reader's organisation or person; a superuser who acted in the
   * organisation has no organisation of their own, hence no tenant in the look-up.
   */
  private async named(rows: PrivacyLogRow[]): Promise<PrivacyLogEntry[]> {
    const names = await this.people.names(
      null,
      rows
        .flatMap((r) => [r['actor_id'], r['subject_id'], r['impersonator_id']])
        .filter((x): x is string => typeof x === 'string'),
    );
    const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? null) : null);
    // the reasons of the impersonations started on this page (rows before 2026-12-05 name the account instead)
    const starts = (r: PrivacyLogRow) => r['action'] === 'impersonation_start' && r['object_type'] === 'impersonation';
    const reasons = await this.impersonations.reasons(rows.filter(starts).map((r) => String(r['object_id'])));
    return rows.map((r) => ({
      id: String(r['id']),
      at: String(r['at']),
      tenantId: (r['tenant_id'] as string | null) ?? null,
      actorId: (r['actor_id'] as string | null) ?? null,
      actorName: name(r['actor_id']),
      actorRole: String(r['actor_role']),
      subjectId: String(r['subject_id']),
      subjectName: name(r['subject_id']),
      objectType: String(r['object_type']),
      objectId: String(r['object_id']),
      action: String(r['action']),
      impersonatorId: (r['impersonator_id'] as string | null) ?? null,
      impersonatorName: name(r['impersonator_id']),
      supportReason: starts(r) ? (reasons.get(String(r['object_id'])) ?? null) : null,
    }));
  }
}
