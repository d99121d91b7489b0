import { Body, Controller, Get, Param, Put, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor, CurrentActor, Public, RequirePermission } from '@rehearse/server/access';
import {
  SlugParam,
  SsoAvailabilityDto,
  SsoRefused,
  SsoService,
  SsoSettingsDto,
  SsoSettingsService,
  SsoSettingsOutDto,
} from '@rehearse/server/accounts';
import { notFound, Refuses } from '@rehearse/server/core';
import type { SsoAvailability, SsoSettings } from '@rehearse/shared/contracts';

/** Sign-in with the organisation's Microsoft Entra ID (OpenID Connect), and its settings. */
@ApiTags('auth')
@Controller()
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly ssoSettings: SsoSettingsService,
  ) {}

  @Public()
  @ApiOperation({ summary: "Single sign-on: the identity provider's answer (redirects the browser)" })
  @Get('auth/sso/callback')
  @ApiFoundResponse({
    description:
      "The identity provider's answer: on to the app, to the second factor, or back to the sign-in page with ?sso_error=<reason>",
  })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      res.redirect(302, await this.sso.callback(req));
    } catch (e) {
      if (!(e instanceof SsoRefused)) throw e;
      res.redirect(302, `/login?sso_error=${e.reason}`);
    }
  }

  @Public()
  @ApiOperation({ summary: 'Whether an organisation offers sign-in with Microsoft' })
  @Get('auth/sso/:slug/info')
  @ApiOkResponse({
    type: SsoAvailabilityDto,
    description: 'Whether the organisation offers sign-in with its identity provider',
  })
  availability(@Param() p: SlugParam): Promise<SsoAvailability> {
    return this.ssoSettings.availability(p.slug);
  }

  @Public()
  @ApiOperation({ summary: "Single sign-on: send the browser to the organisation's identity provider" })
  @Refuses(502, 'The identity provider cannot be reached')
  @Get('auth/sso/:slug/start')
  @ApiFoundResponse({
    description: "Off to the organisation's identity provider (authorization code with PKCE, state and nonce)",
  })
  async start(@Param() p: SlugParam, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.redirect(302, await this.sso.start(req, p.slug));
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Link one's Microsoft account to one's Rehearse account (redirects)" })
  @Refuses(404, 'Your organisation has no single sign-on (or you are impersonating)')
  @Refuses(502, 'The identity provider cannot be reached')
  @Get('account/sso/link')
  @ApiFoundResponse({
    description: "Links the signed-in account to the user's identity at the organisation's provider",
  })
  async link(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const slug = actor.tenantId && !actor.impersonatorId ? await this.sso.slugOf(actor.tenantId) : null;
    if (!slug) throw notFound('Single sign-on');
    res.redirect(302, await this.sso.start(req, slug, actor.userId));
  }

  @RequirePermission('tenant.read')
  @ApiOperation({ summary: "The organisation's single sign-on settings (the client secret is never returned)" })
  @Get('admin/sso')
  @ApiOkResponse({ type: SsoSettingsOutDto })
  settings(@CurrentActor() actor: Actor): Promise<SsoSettings> {
    return this.ssoSettings.settings(actor);
  }

  @RequirePermission('tenant.write')
  @ApiOperation({ summary: "Change the organisation's single sign-on settings" })
  @Put('admin/sso')
  @ApiOkResponse({ type: SsoSettingsOutDto })
  update(@CurrentActor() actor: Actor, @Body() dto: SsoSettingsDto): Promise<SsoSettings> {
    return this.ssoSettings.updateSettings(actor, dto);
  }
}
