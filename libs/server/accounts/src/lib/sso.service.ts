import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { isEmail } from 'class-validator';
import * as oidc from 'openid-client';
import type { AccountSso } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, AppError, asOneLine, Clock, normaliseEmail } from '@rehearse/server/core';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';
import { SsoDiscovery } from './sso-discovery';
import { SsoParticipants } from './sso-participants';
import { SsoRefused } from './sso-refused';
import { type SsoRow, SsoRepository } from './sso.repository';
import { ssoRedirectUri } from './sso-settings.service';
import { TenantsRepository } from './tenants.repository';
import { UsersRepository } from './users.repository';
import type { PendingSso } from '@rehearse/server/access';

/** How long a sign-in may spend at the identity provider. */
const SSO_MAX_MS = 10 * 60_000;

/**
 * Sign-in with Microsoft Entra ID over OpenID Connect, per tenant: the authorization code flow
 * with PKCE, state and nonce, the issuer checked by discovery and on every response, the
 * directory id (`tid`) checked against the tenant's, and people matched by the provider's stable
 * ids (tid + oid), never by e-mail alone. Unknown people become participants when the tenant
 * allows it; Rehearse's own second factor is skipped only when the tenant trusts the directory's.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly sso: SsoRepository,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly discovery: SsoDiscovery,
    private readonly participants: SsoParticipants,
  ) {}

  get redirectUri(): string {
    return ssoRedirectUri(this.config);
  }

  async slugOf(tenantId: string): Promise<string | null> {
    return (await this.tenants.slugOf(tenantId)) ?? null;
  }

  /** The person's own sign-in with their organisation: offered, and since when linked (the account page). */
  async forAccount(tenantId: string, userId: string): Promise<AccountSso> {
    const [settings, link] = await Promise.all([this.row(tenantId), this.sso.linkOf(tenantId, userId)]);
    return {
      offered: !!settings,
      linkedAt: link ? link.linked_at.toISOString() : null,
      lastUsedAt: link?.last_used_at ? link.last_used_at.toISOString() : null,
    };
  }

  // ---- the flow ------------------------------------------------------------------------------------

  private async row(tenantId: string): Promise<SsoRow | null> {
    return (await this.sso.settings(tenantId, true)) ?? null;
  }

  /**
   * Starts a sign-in (or, with `linkUserId`, links the signed-in user's account) at the tenant's
   * identity provider; returns where to send the browser.
   */
  async start(req: Request, slug: string, linkUserId?: string): Promise<string> {
    const t = await this.sso.availability(slug);
    const r = t ? await this.row(t.tenant_id) : null;
    if (!r) throw new SsoRefused('misconfigured', 'Single sign-on is off for this organisation', !!linkUserId);
    const config = await this.discovery.reach(r, !!linkUserId);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    req.session.sso = {
      tenantId: r.tenant_id,
      state,
      nonce,
      codeVerifier,
      startedAt: this.clock.now().getTime(),
      ...(linkUserId ? { linkUserId } : {}),
    };
    await this.sessions.save(req);
    return oidc
      .buildAuthorizationUrl(config, {
        redirect_uri: this.redirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      .toString();
  }

  /**
   * The provider's answer: checks state, exchanges the code (PKCE), checks the ID token (issuer,
   * audience, signature, nonce) and the directory id, then finds the person by tid + oid.
   * Returns where to send the browser next.
   */
  async callback(req: Request): Promise<string> {
    const pending = req.session.sso;
    delete req.session.sso;
    if (!pending || this.clock.now().getTime() - pending.startedAt > SSO_MAX_MS)
      throw new SsoRefused('expired', 'The sign-in took too long or was started elsewhere', !!pending?.linkUserId);
    try {
      return await this.answer(req, pending);
    } catch (e) {
      // a refused link goes back to the account page it started from
      if (e instanceof SsoRefused && pending.linkUserId && !e.linking) throw new SsoRefused(e.reason, e.message, true);
      throw e;
    }
  }

  /** The provider's answer to a sign-in or link this session started (`callback`). */
  private async answer(req: Request, pending: PendingSso): Promise<string> {
    const r = await this.row(pending.tenantId);
    if (!r) throw new SsoRefused('misconfigured', 'Single sign-on is off for this organisation');
    // another replica, or this one after a restart, may not know the provider's metadata yet
    const config = await this.discovery.reach(r, false);
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, this.config.PUBLIC_URL), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (e) {
      // openid-client wraps the precise reason (which check failed) in `cause`
      const cause = (e as { cause?: unknown }).cause;
      const message = cause instanceof Error ? `${(e as Error).message}: ${cause.message}` : (e as Error).message;
      this.logger.warn(`SSO sign-in refused for tenant ${r.tenant_id}: ${message}`);
      throw new SsoRefused(/"state"/.test(message) ? 'state' : 'provider', message);
    }
    const tid = typeof claims?.['tid'] === 'string' ? claims['tid'] : null;
    const oid = typeof claims?.['oid'] === 'string' ? claims['oid'] : null;
    if (!claims || tid !== r.directory_id || !oid)
      throw new SsoRefused('directory', `The account belongs to another directory (${tid ?? 'none'})`);

    // an identity counts only under the issuer it was linked under
    const subject = { issuer: r.issuer, directoryId: tid, objectId: oid };
    let userId = (await this.sso.linkedPerson(r.tenant_id, subject)) ?? null;
    if (pending.linkUserId) {
      if (userId && userId !== pending.linkUserId)
        throw new SsoRefused('linked_elsewhere', 'This Microsoft account is already linked to someone else');
      if (!userId) await this.link(r, pending.linkUserId, tid, oid);
      return '/account?sso=linked';
    }
    if (!userId) {
      // an address as stored (normaliseEmail, at most 254 characters); anything else is no address
      const claimed = typeof claims['email'] === 'string' ? normaliseEmail(claims['email']) : '';
      const email = claimed.length <= 254 && isEmail(claimed) ? claimed : '';
      const known = email ? await this.users.emailTaken(r.tenant_id, email) : false;
      // a known address with an unknown subject is not proof of who this is: never match by e-mail alone
      if (known) throw new SsoRefused('not_linked', 'This Microsoft account is not linked to a Rehearse account yet');
      if (!r.jit_participants || !email)
        throw new SsoRefused('no_account', 'There is no Rehearse account for this Microsoft account');
      userId = await this.participants.create(
        r,
        email,
        // the identity provider's name as one line to show (no control characters or direction overrides)
        (typeof claims['name'] === 'string' && asOneLine(claims['name'])) || email,
        tid,
        oid,
      );
    }
    const user = await this.users.signInState(r.tenant_id, userId);
    if (!user || user.tenant_id !== r.tenant_id || user.status !== 'active' || user.is_superuser)
      throw new SsoRefused('inactive', 'This Rehearse account cannot sign in');
    await this.sso.touch(r.tenant_id, subject, this.clock.now());
    if (r.trust_idp_mfa) {
      await this.auth.completeSignIn(req, user.id, user.tenant_id);
      return '/';
    }
    const next = await this.auth
      .continueSignIn(
        {
          id: user.id,
          tenantId: user.tenant_id,
          isSuperuser: false,
          totpEnabled: user.totp_enabled,
          securityStamp: user.security_stamp,
        },
        req,
      )
      .catch((e: unknown) => {
        // the browser is on a redirect, not a page that reads JSON: back to the sign-in page, which says why
        if (e instanceof AppError && e.getStatus() === 429)
          throw new SsoRefused('too_many_codes', 'Too many sign-in codes were sent to this e-mail address');
        throw e;
      });
    if (next.status === 'mfa_required') return `/login?mfa=${next.method}`;
    return '/';
  }

  private async link(r: SsoRow, userId: string, tid: string, oid: string): Promise<void> {
    await this.sso.link(r.tenant_id, userId, { issuer: r.issuer, directoryId: tid, objectId: oid }, this.clock.now());
  }
}
