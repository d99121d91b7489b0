import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Refuses, requestLocale, translateApiMessage } from '@rehearse/server/core';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { ImportResult, LicencesSet, Page, UserDetail, UserSummary } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import {
  IdParam,
  ImportUsersDto,
  InviteUserDto,
  LicenceDto,
  ListUsersQuery,
  SetLicencesDto,
  UpdateRolesDto,
  UserRegistrationService,
  UsersService,
} from '@rehearse/server/accounts';
import { ImportResultDto, LicencesSetDto, UserDetailDto, UserPageDto, UserSummaryDto } from '@rehearse/server/accounts';

@ApiTags('administration')
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly registration: UserRegistrationService,
  ) {}

  @RequirePermission('users.read')
  @ApiOperation({ summary: "Search and page the organisation's people" })
  @Get()
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery): Promise<Page<UserSummary>> {
    return this.users.list(actor, q);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Invite a person (they choose their password through an e-mailed one-time link)' })
  @Refuses(409, 'A user with this e-mail address already exists in your organisation')
  @Post()
  @ApiCreatedResponse({ type: UserSummaryDto, description: 'User created and invitation e-mailed' })
  invite(@CurrentActor() actor: Actor, @Body() dto: InviteUserDto): Promise<UserSummary> {
    return this.registration.invite(actor, dto);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Invite people from a CSV file (all rows or none)' })
  @Post('import')
  @HttpCode(200)
  @ApiOkResponse({
    type: ImportResultDto,
    description:
      'Either every row is created or none; errors list each problem by row, in the request’s language (Accept-Language)',
  })
  async import(@CurrentActor() actor: Actor, @Body() dto: ImportUsersDto, @Req() req: Request): Promise<ImportResult> {
    const result = await this.registration.importCsv(actor, dto.csv);
    // an answer, not a refusal, so the exception filter does not translate its problems: here
    const locale = requestLocale(req);
    return { ...result, errors: result.errors.map((e) => ({ ...e, message: translateApiMessage(locale, e.message) })) };
  }

  @RequirePermission('users.read')
  @ApiOperation({ summary: "One person's details (privacy-logged)" })
  @Get(':id')
  @ApiOkResponse({ type: UserDetailDto, description: 'Opening a profile is recorded in the privacy log' })
  get(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<UserDetail> {
    return this.users.get(actor, p.id);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: "Set a person's roles" })
  @Refuses(409, 'You cannot remove your own administrator role')
  @Put(':id/roles')
  @ApiOkResponse({ type: UserSummaryDto })
  setRoles(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: UpdateRolesDto): Promise<UserSummary> {
    return this.users.setRoles(actor, p.id, dto.roles);
  }

  @RequirePermission('users.write')
  @ApiOperation({
    summary: 'Give several people the same licence at once',
    description:
      "A year's renewal, a group's: up to 1,000 of the organisation's people, in one transaction. An id that is no person of the organisation changes nothing (404). Each person whose licence changes is on the account activity; a licence that moves its end starts a new notice and keep decision, as one person's change does.",
  })
  @Refuses(404, 'An id is no person of your organisation; nothing was changed')
  @Put('licences')
  @ApiOkResponse({ type: LicencesSetDto })
  setLicences(@CurrentActor() actor: Actor, @Body() dto: SetLicencesDto): Promise<LicencesSet> {
    return this.users.setLicences(actor, dto.userIds, dto.licence);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: "Set or change a person's licence dates" })
  @Put(':id/licence')
  @ApiOkResponse({ type: UserSummaryDto })
  setLicence(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: LicenceDto): Promise<UserSummary> {
    return this.users.setLicence(actor, p.id, dto);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Deactivate a person (ends their sessions)' })
  @Refuses(409, 'You cannot deactivate yourself')
  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserSummaryDto, description: 'Deactivates the user and ends all their sessions' })
  deactivate(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<UserSummary> {
    return this.users.setActive(actor, p.id, false);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Reactivate a person' })
  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserSummaryDto })
  reactivate(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<UserSummary> {
    return this.users.setActive(actor, p.id, true);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Send a new invitation link (the old one stops working)' })
  @Refuses(409, 'This user has already accepted the invitation')
  @Post(':id/invitation')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Sends a new invitation link; older links stop working' })
  resendInvitation(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.registration.resendInvitation(actor, p.id);
  }
}
