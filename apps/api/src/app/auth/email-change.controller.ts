import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { EmailChangeInfo } from '@rehearse/shared/contracts';
import { Public } from '@rehearse/server/access';
import { Refuses } from '@rehearse/server/core';
import { ConfirmEmailChangeDto, EmailChangeInfoDto, EmailChangeLinks, TokenParam } from '@rehearse/server/accounts';

/** The link mailed to a new e-mail address: it confirms the change (whoever follows it, signed in or not). */
@ApiTags('auth')
@Controller('auth/email-change')
export class EmailChangeController {
  constructor(private readonly changes: EmailChangeLinks) {}

  @Public()
  @ApiOperation({ summary: 'What an e-mail change link confirms (the new address, whose account, until when)' })
  @Refuses(404, 'The link is not valid any more (used, replaced, cancelled or expired)')
  @Refuses(429, 'Too many links tried from this address: wait the seconds in Retry-After')
  @Get(':token')
  @ApiOkResponse({ type: EmailChangeInfoDto })
  info(@Param() p: TokenParam, @Req() req: Request): Promise<EmailChangeInfo> {
    return this.changes.info(p.token, req);
  }

  @Public()
  @ApiOperation({
    summary: 'Confirm a new e-mail address with the link mailed to it',
    description:
      'The new address becomes the sign-in address (trusted devices are forgotten), the link is spent, and the old address is told.',
  })
  @Refuses(404, 'The link is not valid any more (used, replaced, cancelled or expired)')
  @Refuses(409, 'This e-mail address is already in use')
  @Refuses(429, 'Too many links tried from this address: wait the seconds in Retry-After')
  @Post('confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The address is changed and the link is spent' })
  confirm(@Body() dto: ConfirmEmailChangeDto, @Req() req: Request): Promise<void> {
    return this.changes.confirm(dto.token, req);
  }
}
