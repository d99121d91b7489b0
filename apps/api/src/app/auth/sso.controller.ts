import { Body, Controller, Get, Param, Put, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor, CurrentActor, Public, RequirePermission } from '@rehearse/server/access';
import {
  AccountSsoDto,
  SlugParam,
  SsoAvailabilityDto,
  SsoRefused,
  SsoService,
  SsoSettingsDto,
  SsoSettingsService,
  SsoSettingsOutDto,
} from '@rehearse/server/accounts';
import type { AccountSso, SsoAvailability, SsoSettings } from '@rehearse/shared/contracts';

/** Where the browser goes: on, or (a refusal) to the page that explains it. */
function refusedTo(next: Promise<string>): Promise<string> {
  return next.catch((e: unknown) => {
    if (e instanceof SsoRefused) return e.page;
    throw e;
  });
}

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
    res.redirect(302, await refusedTo(this.sso.callback(req)));
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
  @Get('auth/sso/:slug/start')
  @ApiFoundResponse({
    description:
      "Off to the organisation's identity provider (authorization code with PKCE, state and nonce); back to the sign-in page with ?sso_error=misconfigured (no single sign-on) or ?sso_error=unavailable (the provider cannot be reached)",
  })
  async start(@Param() p: SlugParam, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.redirect(302, await refusedTo(this.sso.start(req, p.slug)));
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "The signed-in person's sign-in with their organisation: offered, and linked since when" })
  @Get('account/sso')
  @ApiOkResponse({ type: AccountSsoDto })
  account(@CurrentActor() actor: Actor): Promise<AccountSso> {
    if (!actor.tenantId || actor.impersonatorId)
      // a superuser has no organisation; an impersonation links nobody
      return Promise.resolve({ offered: false, linkedAt: null, lastUsedAt: null });
    return this.sso.forAccount(actor.tenantId, actor.userId);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Link one's Microsoft account to one's Rehearse account (redirects)" })
  @Get('account/sso/link')
  @ApiFoundResponse({
    description:
      "Off to the organisation's identity provider to link the signed-in account to the person's identity there; back to the account page with ?sso_error=misconfigured (no single sign-on, or an impersonation) or ?sso_error=unavailable",
  })
  async link(@CurrentActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const slug = actor.tenantId && !actor.impersonatorId ? await this.sso.slugOf(actor.tenantId) : null;
    const next = slug
      ? this.sso.start(req, slug, actor.userId)
      : Promise.reject(new SsoRefused('misconfigured', 'No single sign-on to link to', true));
    res.redirect(302, await refusedTo(next));
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
