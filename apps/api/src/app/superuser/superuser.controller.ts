import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Me, Page, SuperuserReport, UserSummary } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import {
  AccountService,
  ImpersonationService,
  StartImpersonationDto,
  SuperuserUsersQuery,
} from '@rehearse/server/accounts';
import { MeDto, SuperuserReportDto, SuperuserUserPageDto } from '@rehearse/server/accounts';

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
  @ApiOperation({ summary: 'The quarterly report of superusers and impersonations' })
  @Get('report')
  @ApiOkResponse({
    type: SuperuserReportDto,
    description: 'Superusers and every impersonation, for the quarterly review',
  })
  report(): Promise<SuperuserReport> {
    return this.impersonation.report();
  }
}
