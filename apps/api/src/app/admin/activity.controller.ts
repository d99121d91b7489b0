import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AccountActivityEntry, Page } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { AccountActivity, AccountActivityPageDto, AccountActivityQuery } from '@rehearse/server/accounts';
import { Refuses } from '@rehearse/server/core';

@ApiTags('administration')
@Controller('admin/activity')
export class AdminActivityController {
  constructor(private readonly activity: AccountActivity) {}

  @RequirePermission('users.read')
  @ApiOperation({
    summary: "What was changed in the organisation's accounts, by whom, newest first",
    description:
      "Invitations, roles, licences, deactivation, group membership, keep requests, erasure, and the single sign-on and retention settings: all, the changes to one person's account (`subjectId`), or of one kind (`action`). Each person shown is recorded in the privacy log (they see that their account's history was looked at). Pages reach as far as the newest 10,000 changes of what is asked for.",
  })
  @Refuses(404, 'The person is not in your organisation')
  @Get()
  @ApiOkResponse({ type: AccountActivityPageDto })
  list(@CurrentActor() actor: Actor, @Query() q: AccountActivityQuery): Promise<Page<AccountActivityEntry>> {
    return this.activity.list(actor, q);
  }
}
