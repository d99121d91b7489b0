import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import type { InvitationInfo } from '@rehearse/shared/contracts';
import { Public } from '@rehearse/server/access';
import { AcceptInvitationDto, InvitationsService, TokenParam } from '@rehearse/server/accounts';
import { InvitationInfoDto } from '@rehearse/server/accounts';

@ApiTags('auth')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Public()
  @ApiOperation({ summary: 'What an invitation link is for (organisation, name, password rules)' })
  @Refuses(429, 'Too many invitation links tried from this address: wait the seconds in Retry-After')
  @Get(':token')
  @ApiOkResponse({ type: InvitationInfoDto })
  info(@Param() p: TokenParam, @Req() req: Request): Promise<InvitationInfo> {
    return this.invitations.info(p.token, req);
  }

  @Public()
  @ApiOperation({ summary: 'Accept an invitation by choosing a password' })
  @Refuses(429, 'Too many invitation links tried from this address: wait the seconds in Retry-After')
  @Refuses(404, 'The invitation link is not valid any more (used, replaced or expired)')
  @Post('accept')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password set; the account is active and the link is spent' })
  accept(@Body() dto: AcceptInvitationDto, @Req() req: Request): Promise<void> {
    return this.invitations.accept(dto.token, dto.password, req);
  }
}
