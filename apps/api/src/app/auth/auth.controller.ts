import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import { ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { LoginResult, Me } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, Public, RequirePermission } from '@rehearse/server/access';
import {
  AccountService,
  AuthService,
  ImpersonationService,
  LocalAuthGuard,
  LoginDto,
  MfaDto,
  PasswordStep,
} from '@rehearse/server/accounts';
import { HealthCheckDto } from '../health/health.dto';
import { CsrfTokenDto, LoginResultDto, MeDto } from '@rehearse/server/accounts';

@ApiTags('auth')
@ApiExtraModels(HealthCheckDto)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly account: AccountService,
    private readonly impersonation: ImpersonationService,
  ) {}

  @Public()
  @ApiOperation({ summary: "Issue the session's CSRF token (also set as the XSRF-TOKEN cookie)" })
  @Get('csrf')
  @ApiOkResponse({
    type: CsrfTokenDto,
    description: 'The CSRF token of this session (also set as the XSRF-TOKEN cookie)',
  })
  csrf(@Req() req: Request): CsrfTokenDto {
    return { token: req.session.csrfToken ?? '' };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: 'Sign in with e-mail and password (the first step; a second factor follows)' })
  @Refuses(401, 'The e-mail address and password do not match an active account')
  @Refuses(429, 'Too many failed attempts for this account or address: wait the seconds in Retry-After')
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    type: LoginResultDto,
    description:
      'Password checked by passport-local; then a second factor is asked, or a trusted device signs in at once',
  })
  login(@Body() _dto: LoginDto, @Req() req: Request): Promise<LoginResult> {
    return this.auth.continueSignIn(req.user as PasswordStep, req);
  }

  @Public()
  @ApiOperation({ summary: 'Finish signing in with the e-mailed or authenticator code' })
  @Refuses(401, 'No password step is pending, or the code is wrong or expired')
  @Refuses(429, 'Too many wrong codes: wait the seconds in Retry-After')
  @Post('mfa')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto })
  mfa(@Body() dto: MfaDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResult> {
    return this.auth.verifyMfa(dto.code, dto.trustDevice ?? false, req, res);
  }

  @Public()
  @ApiOperation({ summary: 'E-mail a new sign-in code' })
  @Refuses(401, 'No password step is pending')
  @Refuses(429, 'Codes were sent too often: wait the seconds in Retry-After')
  @Post('mfa/email')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResultDto, description: 'Sends a new e-mailed code for the pending sign-in' })
  resend(@Req() req: Request): Promise<LoginResult> {
    return this.auth.resendCode(req);
  }

  @Public()
  @ApiOperation({ summary: 'Sign out (ends this session)' })
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    return this.auth.logout(req, res);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Who is signed in: profile, roles, permissions, impersonation' })
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  me(@CurrentActor() actor: Actor, @Req() req: Request): Promise<Me> {
    return this.account.me(actor, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "End an impersonation and return to the superuser's own session" })
  @Refuses(409, 'You are not impersonating anyone')
  @Post('impersonation/end')
  @HttpCode(200)
  @ApiOkResponse({ type: MeDto, description: 'Ends impersonation; the session returns to the superuser' })
  async endImpersonation(@CurrentActor() actor: Actor, @Req() req: Request): Promise<Me> {
    await this.impersonation.end(actor, req);
    return this.account.meFor(req);
  }
}
