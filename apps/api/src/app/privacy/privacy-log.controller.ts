import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Page, PrivacyLogEntry, PrivacyLogIntegrity } from '@rehearse/shared/contracts';
import {
  AccessService,
  Actor,
  CurrentActor,
  PrivacyLogChecks,
  PrivacyLogIntegrityDto,
  RequirePermission,
} from '@rehearse/server/access';
import { period, PrivacyLogQuery, SubjectQuery, UsersRepository } from '@rehearse/server/accounts';
import { notFound, safeCell, streamCsv } from '@rehearse/server/core';
import { PrivacyLogReader } from '@rehearse/server/privacy';
import { PrivacyLogPageDto, type PrivacyLogFilter } from '@rehearse/server/access';

/** The export's columns, in order. */
const PRIVACY_LOG_CSV_COLUMNS = [
  'at',
  'actor',
  'actor_id',
  'actor_role',
  'subject',
  'subject_id',
  'object_type',
  'object_id',
  'action',
  'impersonator',
  'impersonator_id',
];

@ApiTags('administration')
@Controller('admin/privacy-log')
export class AdminPrivacyLogController {
  constructor(
    private readonly privacy: PrivacyLogReader,
    private readonly access: AccessService,
    private readonly users: UsersRepository,
    private readonly checks: PrivacyLogChecks,
  ) {}

  /**
   * The organisation's rows, of one person's data and/or of one person's looks. The person whose
   * data is asked for must be of the organisation; whoever looked may not be (a superuser acting
   * in it has no organisation): an id that looked at nothing here finds no rows.
   */
  private async scope(actor: Actor, q: SubjectQuery): Promise<PrivacyLogFilter> {
    const tenantId = this.access.tenantOf(actor);
    const { from, before } = period(q);
    if (q.subjectId && !(await this.users.exists(tenantId, q.subjectId))) throw notFound('User');
    return { tenantId, subjectId: q.subjectId, actorId: q.actorId, from, before, support: q.by === 'support' };
  }

  @RequirePermission('privacy.read')
  @ApiOperation({
    summary: "The organisation's privacy log, newest first",
    description:
      "Of one person's data (`subjectId`), of one person's looks (`actorId`), of the operator's support staff (`by=support`), of a period (`from`, inclusive, to `before`, exclusive), or all. Pages reach as far as the newest 10,000 entries of what is asked for: a period reaches further back.",
  })
  @Get()
  @ApiOkResponse({ type: PrivacyLogPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: PrivacyLogQuery): Promise<Page<PrivacyLogEntry>> {
    return this.privacy.list(await this.scope(actor, q), q.page, q.pageSize);
  }

  @RequirePermission('privacy.read')
  @ApiOperation({
    summary: "The last check of the organisation's privacy log for changes made outside Rehearse",
    description:
      "Every day the worker recomputes the log's hash chains from the first entry and counts again the entries its check before read and those the witness of the logs (taken every 15 minutes, kept outside the database) saw: an entry changed (or missing from the middle of its chain) is `changed`, entries gone that were seen before are `removed` (a log the witness finds short is checked at once). `checkedAt` is null before the first check.",
  })
  @Get('integrity')
  @ApiOkResponse({ type: PrivacyLogIntegrityDto })
  integrity(@CurrentActor() actor: Actor): Promise<PrivacyLogIntegrity> {
    return this.checks.integrity(this.access.tenantOf(actor));
  }

  @RequirePermission('privacy.read')
  @ApiOperation({ summary: 'Download the privacy log as CSV (streamed)' })
  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'The privacy log (of one person’s data with subjectId, of one person’s looks with actorId, of the operator’s support staff with by=support, of a period with from and before) as CSV, oldest first',
    schema: { type: 'string' },
  })
  async export(
    @CurrentActor() actor: Actor,
    @Query() q: SubjectQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const scope = await this.scope(actor, q);
    // a period by its days as the request gave them (the reader's own calendar, not UTC's)
    const name = `privacy-log${q.subjectId ? `-${q.subjectId}` : ''}${q.actorId ? `-by-${q.actorId}` : ''}${q.by === 'support' ? '-support' : ''}${q.from ? `-from-${q.from.slice(0, 10)}` : ''}${q.before ? `-before-${q.before.slice(0, 10)}` : ''}.csv`;
    await streamCsv(
      req,
      res,
      name,
      PRIVACY_LOG_CSV_COLUMNS,
      () => this.privacy.batches(scope),
      (r) => [
        r.at,
        safeCell(r.actorName),
        r.actorId ?? '',
        r.actorRole,
        safeCell(r.subjectName),
        r.subjectId,
        r.objectType,
        r.objectId,
        r.action,
        safeCell(r.impersonatorName),
        r.impersonatorId ?? '',
      ],
    );
  }
}
