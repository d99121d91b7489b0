import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import type { Queue } from 'bull';
import { DataExport, exportJobId, QUEUES } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { Clock, conflict, notFound, traced } from '@rehearse/server/core';
import { AccountsFootprintRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import {
  type ExportRow,
  DataExportsRepository,
  WITHDRAWN_BY_ERASURE,
  WITHDRAWN_BY_LICENCE,
} from './data-exports.repository';
import { ExportsOfHiddenAnswers } from './exports-of-hidden-answers';

function toExport(r: ExportRow, subjectName: string): DataExport {
  return {
    id: r.id,
    scope: r.scope,
    subjectId: r.subject_id,
    subjectName,
    state: r.state,
    progress: r.progress,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
    ...(r.state === 'expired' && r.error === WITHDRAWN_BY_ERASURE ? { withdrawn: 'erasure' as const } : {}),
    ...(r.state === 'expired' && r.error === WITHDRAWN_BY_LICENCE ? { withdrawn: 'licence' as const } : {}),
  };
}

/**
 * Data exports: a user's complete data (or the whole organisation's) as one ZIP, built by the worker
 * (ExportBuilder; progress in the row), stored encrypted under the user's own key and downloadable
 * for EXPORT_KEEP_DAYS days by the user and by whoever asked for it (an administrator of their
 * tenant). Asking for one, and following it; the download itself is ExportDownloads'.
 */
@Injectable()
export class ExportService {
  constructor(
    @InjectQueue(QUEUES.exports) private readonly queue: Queue,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly exports: DataExportsRepository,
    private readonly accounts: AccountsFootprintRepository,
    private readonly directory: PeopleDirectoryRepository,
    private readonly hidden: ExportsOfHiddenAnswers,
  ) {}

  /**
   * The exports as the API answers them, each with its subject's name: the person's, or the
   * organisation's; one holding answers a licence has hidden since it was asked for as withdrawn.
   */
  private async answered(found: ExportRow[]): Promise<DataExport[]> {
    const rows = await this.hidden.withdrawnSince(found);
    const people = await this.directory.names(
      null,
      rows.flatMap((r) => r.subject_id ?? []),
    );
    const organisations = new Map<string, string>();
    for (const r of rows)
      if (!(r.subject_id && people.has(r.subject_id)) && !organisations.has(r.tenant_id))
        organisations.set(r.tenant_id, (await this.accounts.organisationName(r.tenant_id)) ?? '');
    return rows.map((r) =>
      toExport(r, (r.subject_id ? people.get(r.subject_id) : undefined) ?? organisations.get(r.tenant_id) ?? ''),
    );
  }

  /** Starts an export of `subjectId` (the actor, or a person of the administrator's organisation: `person.export`). */
  async request(actor: Actor, subjectId: string): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.access.require(actor, 'person.export', subjectId);
    const id = await this.exports.start(tenantId, subjectId, actor.impersonatorId ?? actor.userId, this.clock.now());
    if (!id) throw conflict('An export of this person is already being built');
    return this.enqueue(id, tenantId);
  }

  /**
   * Everything of the organisation, for its administrators (before the end of an agreement, or to
   * leave): the organisation's own data and every person's, as in their own exports.
   */
  async requestTenant(actor: Actor): Promise<DataExport> {
    const tenantId = this.access.tenantOf(actor);
    const id = await this.exports.start(tenantId, null, actor.impersonatorId ?? actor.userId, this.clock.now());
    if (!id) throw conflict('An export of the organisation is already being built');
    return this.enqueue(id, tenantId);
  }

  /**
   * Hands a new export to the worker and answers it as it is then ("queued"): read before the job
   * is queued, so the answer does not depend on how soon a worker takes it. (Whoever asked was
   * checked before it was made.)
   */
  private async enqueue(id: string, tenantId: string): Promise<DataExport> {
    const row = await this.exportRow(id, tenantId);
    try {
      await this.queue.add('build', { exportId: id, ...traced() }, { jobId: exportJobId(id) });
    } catch (e) {
      // not queued (Redis away): failed, so that asking again is not refused as "already being built"
      await this.exports.failed(tenantId, id, 'could not be queued', this.clock.now()).catch(() => undefined);
      throw e;
    }
    return (await this.answered([row as ExportRow]))[0];
  }

  /** One export of the tenant (undefined when there is none). */
  private async exportRow(id: string, tenantId: string): Promise<ExportRow | undefined> {
    return this.exports.row(tenantId, id);
  }

  async tenantExports(actor: Actor): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor);
    return this.answered(await this.exports.newest(tenantId, null));
  }

  /** Exports of the subject, newest first (the actor's own, or an administrator's view of a person: `person.export`). */
  async list(actor: Actor, subjectId: string): Promise<DataExport[]> {
    const tenantId = this.access.tenantOf(actor, 'User');
    await this.access.require(actor, 'person.export', subjectId);
    return this.answered(await this.exports.newest(tenantId, subjectId));
  }

  /** One export the actor may read (its subject, or an administrator of the tenant: the access core's `export.read`), or 404. */
  async readable(actor: Actor, id: string): Promise<ExportRow> {
    const tenantId = this.access.tenantOf(actor, 'Export');
    await this.access.require(actor, 'export.read', id);
    const r = await this.exportRow(id, tenantId);
    if (!r) throw notFound('Export');
    return r;
  }

  async get(actor: Actor, id: string): Promise<DataExport> {
    return (await this.answered([await this.readable(actor, id)]))[0];
  }
}
