import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EmailChangeStatus, PendingEmailChange } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import {
  ChangeEmailDto,
  EmailChangeService,
  EmailChangeStatusDto,
  PendingEmailChangeDto,
} from '@rehearse/server/accounts';
import { Refuses } from '@rehearse/server/core';

/** One's own e-mail address: a change waits until the new address confirms it by the link mailed to it. */
@ApiTags('account')
@Controller('account/email')
export class AccountEmailController {
  constructor(private readonly changes: EmailChangeService) {}

  @RequirePermission('account.self')
  @ApiOperation({
    summary: "Change one's own e-mail address: a link to the new address confirms it",
    description:
      'Asks for the password again, then mails a link (one use, EMAIL_CHANGE_TTL_HOURS) to the new address. The address changes only when the link is followed; until then the old one signs in and receives the sign-in codes. A newer request replaces an older one. Refused while impersonating.',
  })
  @Refuses(409, 'This e-mail address is already in use')
  @Refuses(429, 'Too many wrong passwords or changes asked for: wait the seconds in Retry-After')
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PendingEmailChangeDto })
  request(@CurrentActor() actor: Actor, @Body() dto: ChangeEmailDto, @Req() req: Request): Promise<PendingEmailChange> {
    return this.changes.request(actor, dto.password, dto.email, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "One's change of e-mail address waiting for its link, if any" })
  @Get()
  @ApiOkResponse({ type: EmailChangeStatusDto })
  status(@CurrentActor() actor: Actor): Promise<EmailChangeStatus> {
    return this.changes.status(actor);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Cancel the change of e-mail address waiting for its link (the link stops working)' })
  @Refuses(404, 'There is no change of e-mail address to cancel')
  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Cancelled; the address stays as it is' })
  cancel(@CurrentActor() actor: Actor): Promise<void> {
    return this.changes.cancel(actor);
  }
}
