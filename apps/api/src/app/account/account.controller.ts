import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import type {
  AccountActivityEntry,
  ActiveSession,
  Me,
  Page,
  PrivacyLogLooks,
  SessionsEnded,
  TotpSetup,
  TrustedDevice,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { PrivacyLogReader } from '@rehearse/server/privacy';
import {
  AccountActivity,
  AccountActivityPageDto,
  AccountService,
  AuthenticatorAppService,
  CredentialsService,
  ChangePasswordDto,
  cookieNames,
  IdParam,
  MyPrivacyLogQuery,
  PageQuery,
  PasswordConfirmDto,
  readCookie,
  SessionsService,
  TotpCodeDto,
  TrustedDevicesService,
  UpdateProfileDto,
} from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Refuses } from '@rehearse/server/core';
import { Inject } from '@nestjs/common';
import { PrivacyLogLooksPageDto } from '@rehearse/server/access';
import { ActiveSessionDto, MeDto, SessionsEndedDto, TotpSetupDto, TrustedDeviceDto } from '@rehearse/server/accounts';

@ApiTags('account')
@Controller('account')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    private readonly credentials: CredentialsService,
    private readonly authenticatorApp: AuthenticatorAppService,
    private readonly devices: TrustedDevicesService,
    private readonly sessions: SessionsService,
    private readonly privacy: PrivacyLogReader,
    private readonly activity: AccountActivity,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Change one's own name, phone or language" })
  @Patch('profile')
  @ApiOkResponse({ type: MeDto })
  async updateProfile(@CurrentActor() actor: Actor, @Body() dto: UpdateProfileDto, @Req() req: Request): Promise<Me> {
    await this.account.updateProfile(actor, dto);
    return this.account.meFor(req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Change one's own password (signs out the other sessions)" })
  @Refuses(429, 'Too many wrong passwords: wait the seconds in Retry-After')
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; other sessions and trusted devices end' })
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto, @Req() req: Request): Promise<void> {
    return this.credentials.changePassword(actor, dto.currentPassword, dto.newPassword, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Start setting up an authenticator app: a secret and its QR code' })
  @Refuses(429, 'Too many wrong passwords: wait the seconds in Retry-After')
  @Post('totp/setup')
  @HttpCode(200)
  @ApiOkResponse({ type: TotpSetupDto })
  beginTotp(@CurrentActor() actor: Actor, @Body() dto: PasswordConfirmDto, @Req() req: Request): Promise<TotpSetup> {
    return this.authenticatorApp.begin(actor, dto.password, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Turn the authenticator app on with a code from it' })
  @Refuses(429, 'Too many wrong codes: wait the seconds in Retry-After')
  @Post('totp/enable')
  @HttpCode(204)
  @ApiNoContentResponse()
  enableTotp(@CurrentActor() actor: Actor, @Body() dto: TotpCodeDto, @Req() req: Request): Promise<void> {
    return this.authenticatorApp.enable(actor, dto.code, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Remove the authenticator app (e-mailed codes from then on)' })
  @Refuses(429, 'Too many wrong passwords: wait the seconds in Retry-After')
  @Post('totp/disable')
  @HttpCode(204)
  @ApiNoContentResponse()
  disableTotp(@CurrentActor() actor: Actor, @Body() dto: PasswordConfirmDto, @Req() req: Request): Promise<void> {
    return this.authenticatorApp.disable(actor, dto.password, req);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'List the devices that skip the second factor' })
  @Get('trusted-devices')
  @ApiOkResponse({ type: TrustedDeviceDto, isArray: true })
  listDevices(@CurrentActor() actor: Actor, @Req() req: Request): Promise<TrustedDevice[]> {
    return this.devices.list(actor.tenantId, actor.userId, readCookie(req, cookieNames(this.config).trustedDevice));
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Stop trusting a device' })
  @Delete('trusted-devices/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  revokeDevice(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<void> {
    return this.devices.revoke(actor.tenantId, actor.userId, p.id);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "List one's own active sessions" })
  @Get('sessions')
  @ApiOkResponse({ type: ActiveSessionDto, isArray: true })
  listSessions(@CurrentActor() actor: Actor, @Req() req: Request): Promise<ActiveSession[]> {
    return this.sessions.listForUser(actor.userId, req.sessionID);
  }

  @RequirePermission('account.self')
  @ApiOperation({
    summary: "Sign out everywhere else: end every one of one's own sessions but this one",
    description:
      'Also the sessions in which one acts as someone else; not while impersonating (403: the person’s own sessions are theirs to end). Answers how many ended.',
  })
  @Delete('sessions')
  @ApiOkResponse({ type: SessionsEndedDto })
  async endOtherSessions(@CurrentActor() actor: Actor, @Req() req: Request): Promise<SessionsEnded> {
    return { ended: await this.sessions.endOthers(actor, req.sessionID) };
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "End one of one's own sessions" })
  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  endSession(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.sessions.endOne(actor.userId, String(id).slice(0, 64));
  }

  @RequirePermission('privacy.self')
  @ApiOperation({
    summary: "Who looked at one's own data, newest first",
    description:
      'The same look (one person, one kind of look, one object) repeated on one day (UTC) is one entry, with how many looks it stands for (`count`) and when the first was (`firstAt`).',
  })
  @Get('privacy-log')
  @ApiOkResponse({ type: PrivacyLogLooksPageDto, description: 'Who looked at my data (with answerId: at that answer)' })
  myPrivacyLog(@CurrentActor() actor: Actor, @Query() q: MyPrivacyLogQuery): Promise<Page<PrivacyLogLooks>> {
    return this.privacy.own(actor, q.page, q.pageSize, q.answerId);
  }

  @RequirePermission('privacy.self')
  @ApiOperation({
    summary: "What was changed in one's own account, and by whom, newest first",
    description:
      "The changes the organisation's administrators (or the operator's support acting as one) made to the account: the invitation, roles, licence, deactivation, groups, a request to keep recordings. Empty for someone in no organisation.",
  })
  @Get('activity')
  @ApiOkResponse({ type: AccountActivityPageDto })
  myActivity(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<Page<AccountActivityEntry>> {
    return this.activity.mine(actor, q);
  }
}
