import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { Refuses, safeCell, streamCsv } from '@rehearse/server/core';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ImpersonationRecord, Me, Page, SuperuserReport, UserSummary } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import {
  AccountService,
  ImpersonationPageDto,
  ImpersonationService,
  ImpersonationsFilter,
  ImpersonationsQuery,
  MeDto,
  period,
  PeriodQuery,
  StartImpersonationDto,
  SuperuserReportDto,
  SuperuserUserPageDto,
  SuperuserUsersQuery,
} from '@rehearse/server/accounts';

/** The impersonations export's columns, in order. */
const IMPERSONATION_CSV_COLUMNS = [
  'started_at',
  'superuser',
  'superuser_id',
  'acted_as',
  'acted_as_id',
  'organisation',
  'reason',
  'expires_at',
  'ended_at',
];

@ApiTags('superuser')
@Controller('superuser')
export class SuperuserController {
  constructor(
    private readonly impersonation: ImpersonationService,
    private readonly account: AccountService,
  ) {}

  @RequirePermission('superuser.users')
  @ApiOperation({ summary: 'Find people across organisations to support' })
  @Get('users')
  @ApiOkResponse({ type: SuperuserUserPageDto })
  users(
    @CurrentActor() actor: Actor,
    @Query() q: SuperuserUsersQuery,
  ): Promise<Page<UserSummary & { tenantName: string }>> {
    return this.impersonation.findUsers(actor, q.q, q.page, q.pageSize);
  }

  @RequirePermission('superuser.impersonate')
  @ApiOperation({ summary: 'Act as a person, with a reason (logged and shown to them)' })
  @Refuses(409, 'Only active users can be impersonated')
  @Post('impersonations')
  @HttpCode(200)
  @ApiOkResponse({
    type: MeDto,
    description: 'Starts acting as the user (time-limited, logged); returns the impersonated identity',
  })
  async start(@CurrentActor() actor: Actor, @Body() dto: StartImpersonationDto, @Req() req: Request): Promise<Me> {
    await this.impersonation.start(actor, dto.userId, dto.reason, req);
    return this.account.meFor(req);
  }

  @RequirePermission('superuser.report')
  @ApiOperation({
    summary: 'The review of the support staff over a period (a quarter)',
    description:
      'Every superuser, with how many impersonations each started in the period (`from`, inclusive, to `before`, exclusive; either open), and how many were started in all. The impersonations themselves: `GET /superuser/impersonations`.',
  })
  @Get('report')
  @ApiOkResponse({ type: SuperuserReportDto })
  report(@Query() q: PeriodQuery): Promise<SuperuserReport> {
    return this.impersonation.report(period(q), q);
  }

  @RequirePermission('superuser.report')
  @ApiOperation({
    summary: 'The impersonations of a period, newest first',
    description:
      'Started in the period (`from`, inclusive, to `before`, exclusive; either open), of one superuser (`superuserId`) or of all, with the reason given and who was acted as, a page at a time.',
  })
  @Get('impersonations')
  @ApiOkResponse({ type: ImpersonationPageDto })
  impersonations(@Query() q: ImpersonationsQuery): Promise<Page<ImpersonationRecord>> {
    return this.impersonation.list({ ...period(q), superuserId: q.superuserId }, q.page, q.pageSize);
  }

  @RequirePermission('superuser.report')
  @ApiOperation({ summary: 'Download the impersonations of a period as CSV (streamed)' })
  @Get('impersonations/export')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'The impersonations (of a period with from and before, of one superuser with superuserId) as CSV, oldest first',
    schema: { type: 'string' },
  })
  async export(@Query() q: ImpersonationsFilter, @Req() req: Request, @Res() res: Response): Promise<void> {
    const filter = { ...period(q), superuserId: q.superuserId };
    // a period by its days as the request gave them (the reader's own calendar, not UTC's)
    const name = `impersonations${q.superuserId ? `-by-${q.superuserId}` : ''}${q.from ? `-from-${q.from.slice(0, 10)}` : ''}${q.before ? `-before-${q.before.slice(0, 10)}` : ''}.csv`;
    await streamCsv(
      req,
      res,
      name,
      IMPERSONATION_CSV_COLUMNS,
      () => this.impersonation.batches(filter),
      (i) => [
        i.startedAt,
        safeCell(i.superuserName),
        i.superuserId,
        safeCell(i.targetUserName),
        i.targetUserId,
        safeCell(i.tenantName),
        safeCell(i.reason),
        i.expiresAt,
        i.endedAt ?? '',
      ],
    );
  }
}
