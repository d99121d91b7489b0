import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { PasswordResetInfo, PasswordResetRequested } from '@rehearse/shared/contracts';
import { Public } from '@rehearse/server/access';
import { Refuses } from '@rehearse/server/core';
import {
  PasswordResetInfoDto,
  PasswordResetRequestDto,
  PasswordResetRequestedDto,
  PasswordResetRequests,
  PasswordResetService,
  ResetPasswordDto,
  TokenParam,
} from '@rehearse/server/accounts';

/** A forgotten password: a link by e-mail, then a new password (the second factor is still asked at sign-in). */
@ApiTags('auth')
@Controller('auth/password-reset')
export class PasswordResetController {
  constructor(
    private readonly requests: PasswordResetRequests,
    private readonly resets: PasswordResetService,
  ) {}

  @Public()
  @ApiOperation({
    summary: 'Ask for a link to choose a new password',
    description:
      'Sends each account of the address (one per organisation; never a superuser, nor a person without a password of their own) a link that works once, for PASSWORD_RESET_TTL_MINUTES. The answer is the same, and as quick, whether or not the address has an account.',
  })
  @Refuses(429, 'Too many links asked for this address or from this client: wait the seconds in Retry-After')
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PasswordResetRequestedDto })
  request(@Body() dto: PasswordResetRequestDto, @Req() req: Request): Promise<PasswordResetRequested> {
    return this.requests.request(dto.email, req);
  }

  @Public()
  @ApiOperation({ summary: 'What a password reset link is for (person, organisation, password rules, until when)' })
  @Refuses(404, 'The link is not valid any more (used, replaced or expired)')
  @Refuses(429, 'Too many links tried from this address: wait the seconds in Retry-After')
  @Get(':token')
  @ApiOkResponse({ type: PasswordResetInfoDto })
  info(@Param() p: TokenParam, @Req() req: Request): Promise<PasswordResetInfo> {
    return this.resets.info(p.token, req);
  }

  @Public()
  @ApiOperation({
    summary: 'Choose a new password with a reset link',
    description:
      'Sets the password; the link (and any other of the person’s) is spent, every session of the person ends, their trusted devices are forgotten and a notice is mailed. Nobody is signed in: the next sign-in asks for the second factor as always.',
  })
  @Refuses(404, 'The link is not valid any more (used, replaced or expired)')
  @Refuses(429, 'Too many links tried from this address: wait the seconds in Retry-After')
  @Post('complete')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The new password is set and the link is spent' })
  complete(@Body() dto: ResetPasswordDto, @Req() req: Request): Promise<void> {
    return this.resets.complete(dto.token, dto.password, req);
  }
}
