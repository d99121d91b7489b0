import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AccountActivityEntry, Page } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import {
  AccountActivity,
  AccountActivityFilterQuery,
  AccountActivityPageDto,
  AccountActivityQuery,
} from '@rehearse/server/accounts';
import { GroupsService } from '@rehearse/server/courses';
import { Refuses, safeCell, streamCsv } from '@rehearse/server/core';

/** The export's columns, in order. */
const ACTIVITY_CSV_COLUMNS = [
  'at',
  'action',
  'by',
  'by_id',
  'by_role',
  'support',
  'support_id',
  'person',
  'person_id',
  'details',
];

@ApiTags('administration')
@Controller('admin/activity')
export class AdminActivityController {
  constructor(
    private readonly activity: AccountActivity,
    private readonly groups: GroupsService,
  ) {}

  @RequirePermission('users.read')
  @ApiOperation({
    summary: "What was changed in the organisation's accounts, by whom, newest first",
    description:
      "Invitations, roles, licences, deactivation, group membership, enrolments in courses, keep requests, erasure, the single sign-on and retention settings, and the operator's changes to the agreement: all, the changes to one person's account (`subjectId`), or of one kind (`action`). Each person shown is recorded in the privacy log (they see that their account's history was looked at). Pages reach as far as the newest 10,000 changes of what is asked for; the CSV export holds all of them.",
  })
  @Refuses(404, 'The person is not in your organisation')
  @Get()
  @ApiOkResponse({ type: AccountActivityPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: AccountActivityQuery): Promise<Page<AccountActivityEntry>> {
    const page = await this.activity.list(actor, q);
    // a change names a group as it was; the page links only to those still there
    const existing = await this.groups.existing(
      actor,
      page.items.flatMap((e) => (e.details.group ? [e.details.group.id] : [])),
    );
    return {
      ...page,
      items: page.items.map((e) => (e.details.group ? { ...e, groupExists: existing.has(e.details.group.id) } : e)),
    };
  }

  @RequirePermission('users.read')
  @ApiOperation({
    summary: "Download the organisation's account activity as CSV (streamed)",
    description:
      "Every change of what is asked for (all, one person's with `subjectId`, one kind with `action`), oldest first, read a batch at a time; each person in it is recorded in the privacy log. `details` is the change's details as JSON.",
  })
  @Refuses(404, 'The person is not in your organisation')
  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The account activity as CSV, oldest first', schema: { type: 'string' } })
  async export(
    @CurrentActor() actor: Actor,
    @Query() q: AccountActivityFilterQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.activity.ensureSubject(actor, q.subjectId);
    const name = `account-activity${q.subjectId ? `-${q.subjectId}` : ''}${q.action ? `-${q.action}` : ''}.csv`;
    await streamCsv(
      req,
      res,
      name,
      ACTIVITY_CSV_COLUMNS,
      () => this.activity.batches(actor, q),
      (e) => [
        e.at,
        e.action,
        safeCell(e.actorName),
        e.actorId ?? '',
        e.actorRole,
        safeCell(e.impersonatorName),
        e.impersonatorId ?? '',
        safeCell(e.subjectName),
        e.subjectId ?? '',
        safeCell(JSON.stringify(e.details)),
      ],
    );
  }
}
