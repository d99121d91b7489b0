import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PrivacyLogRepository } from '@rehearse/server/access';
import {
  AccountsFootprintRepository,
  type AgreementEndRow,
  type AgreementRow,
  LicenceLifecycleRepository,
} from '@rehearse/server/accounts';
import { CoursesFootprintRepository } from '@rehearse/server/courses';
import { type Queryable, tenantRowCounts } from '@rehearse/server/database';
import { FeedbackFootprintRepository } from '@rehearse/server/feedback';
import { RecordingsFootprintRepository } from '@rehearse/server/recordings';
import {
  DeletionReceiptsRepository,
  type DestructionReportFullRow,
  type DestructionReportRow,
} from './deletion-receipts.repository';

/**
 * Everything of one organisation, for the end of its agreement: the agreements, what is due, the
 * ids its queued jobs could name, its export, and the destruction itself in one transaction (every
 * table with a tenant_id goes with the tenant row). Each library answers for its own tables.
 */
@Injectable()
export class OrganisationFootprint {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsFootprintRepository,
    private readonly courses: CoursesFootprintRepository,
    private readonly recordings: RecordingsFootprintRepository,
    private readonly feedback: FeedbackFootprintRepository,
    private readonly receipts: DeletionReceiptsRepository,
    private readonly privacyLog: PrivacyLogRepository,
    private readonly licences: LicenceLifecycleRepository,
  ) {}

  /** The organisations' agreements (by name or slug, or one), by name, a page at a time, with how many people each has. */
  agreements(
    filter: { pattern?: string | null; tenantId?: string },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: AgreementRow[] }> {
    return this.accounts.agreements(filter, page);
  }

  /**
   * The end of the organisation's agreement (null: none) and how many days after it everything is
   * destroyed, its row locked until `m` commits; undefined when there is no such organisation.
   */
  lockAgreement(
    tenantId: string,
    m: Queryable,
  ): Promise<{ ends_on: string | null; destroy_after_days: number } | undefined> {
    return this.accounts.agreementEndForUpdate(tenantId, m);
  }

  /** Sets (or clears) the end of the organisation's agreement in `m`. */
  async setAgreementEnd(tenantId: string, endsOn: string | null, at: Date, m: Queryable): Promise<void> {
    await this.accounts.setAgreementEnd(tenantId, endsOn, at, m);
  }

  /** The organisations to remind of their destruction within `days` of `today` (in `m`, locked), not reminded of that date yet. */
  dueForDestructionNotice(today: string, days: number, m: Queryable): Promise<{ id: string; destroy_on: string }[]> {
    return this.accounts.dueForDestructionNotice(today, days, m);
  }

  /** Records the reminder of the organisation's destruction on `destroyOn` (in `m`). */
  markDestructionNoticed(tenantId: string, destroyOn: string, m: Queryable): Promise<void> {
    return this.accounts.markDestructionNoticed(tenantId, destroyOn, m);
  }

  /** The organisation's active administrators (in `m`): whom its end concerns. */
  administrators(tenantId: string, m: Queryable): Promise<string[]> {
    return this.licences.activeAdministrators(tenantId, m);
  }

  /** When the organisation's agreement ends and the day it is destroyed (both null: it does not end). */
  agreementEnd(tenantId: string): Promise<AgreementEndRow | undefined> {
    return this.accounts.agreementEnd(tenantId);
  }

  /** The organisations whose destruction date has come by `today`. */
  dueForDestruction(today: string): Promise<string[]> {
    return this.accounts.dueForDestruction(today);
  }

  /** The destruction reports (of the organisations matching `pattern`), newest first, a page at a time, without their objects. */
  destructionReports(
    filter: { pattern: string | null },
    page: { limit: number; offset: number },
  ): Promise<{ total: number; rows: DestructionReportRow[] }> {
    return this.receipts.destructionReports(filter, page);
  }

  /** One destruction report with its objects (undefined: no such report). */
  destructionReport(id: string): Promise<DestructionReportFullRow | undefined> {
    return this.receipts.destructionReport(id);
  }

  /** The organisation's name and slug (undefined: no such organisation). */
  organisation(tenantId: string): Promise<{ name: string; slug: string } | undefined> {
    return this.accounts.organisation(tenantId);
  }

  /** The ids of the organisation's people, oldest account first. */
  people(tenantId: string): Promise<string[]> {
    return this.accounts.people(tenantId);
  }

  /** The ids a queued job of the organisation could name: its answers, recordings, reviews, codes, invitations. */
  async idsNaming(tenantId: string): Promise<string[]> {
    return [
      ...(await this.courses.organisationAnswerIds(tenantId)),
      ...(await this.recordings.organisationJobIds(tenantId)),
      ...(await this.feedback.organisationJobIds(tenantId)),
      ...(await this.accounts.organisationJobIds(tenantId)),
    ];
  }

  /**
   * Destroys the organisation in one transaction and counts what went, per table: its people's
   * sessions and its receipts go, everything else with the tenant row (ON DELETE CASCADE on every
   * tenant_id), then its privacy-log chain through the owner's audited function. With `dueBy`, only
   * while it is still due for destruction by that day (undefined: nothing destroyed).
   */
  async destroy(
    tenantId: string,
    dueBy?: string,
  ): Promise<{ counts: Record<string, number>; people: string[] } | undefined> {
    return this.db.transaction(async (m) => {
      // asked again under the organisation's lock: its agreement may have been extended since
      if (dueBy && !(await this.accounts.lockDueForDestruction(tenantId, dueBy, m))) return undefined;
      // its people as they are now (one added since the caller looked has a key to destroy too)
      const userIds = await this.accounts.people(tenantId, m);
      const c = await tenantRowCounts(m, tenantId);
      c['users'] = userIds.length;
      c['sessions'] = await this.accounts.endSessionsOfPeople(tenantId, userIds, m);
      await this.receipts.deleteOfOrganisation(tenantId, m);
      await this.accounts.deleteOrganisation(tenantId, m);
      await this.privacyLog.destroyTenant(m, tenantId);
      return { counts: c, people: userIds };
    });
  }

  /**
   * The organisation's own data for its export (people are in their own folders): its settings,
   * people with roles, courses with every version, rubrics, groups with members, enrolments,
   * deletion receipts and what was changed in the accounts.
   */
  async exportOf(tenantId: string): Promise<Record<string, unknown>> {
    const { organisation, people, accountActivity } = await this.accounts.organisationExport(tenantId);
    const { courses, rubrics, groups, enrolments } = await this.courses.organisationExport(tenantId);
    return {
      organisation,
      people,
      courses,
      rubrics,
      groups,
      enrolments,
      deletionReceipts: await this.receipts.listedForOrganisation(tenantId),
      accountActivity,
    };
  }
}
