import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import * as oidc from 'openid-client';
import { DataSource } from 'typeorm';
import type { SsoAvailability, SsoError, SsoSettings, SsoSettingsInput } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, AppError, badRequest, Clock, notFound, SecretBox } from '@rehearse/server/core';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';

/** How long a sign-in may spend at the identity provider. */
const SSO_MAX_MS = 10 * 60_000;
const SECRET_CONTEXT = 'sso-client-secret';

interface SsoRow {
  tenant_id: string;
  enabled: boolean;
  issuer: string;
  client_id: string;
  client_secret_sealed: string | null;
  directory_id: string;
  jit_participants: boolean;
  trust_idp_mfa: boolean;
}

/** An SSO sign-in that did not go through; the sign-in page explains `reason`. */
export class SsoRefused extends Error {
  constructor(
    readonly reason: SsoError,
    message: string,
  ) {
    super(message);
  }
}

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
  private readonly configs = new Map<string, { key: string; config: Promise<oidc.Configuration> }>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly privacy: PrivacyLogService,
  ) {}

  get redirectUri(): string {
    return new URL('/api/auth/sso/callback', this.config.PUBLIC_URL).toString();
  }

  // ---- administration ---------------------------------------------------------------------------

  async settings(actor: Actor): Promise<SsoSettings> {
    const tenantId = this.access.tenantOf(actor);
    const [r]: SsoRow[] = await this.db.query(`SELECT * FROM tenant_sso WHERE tenant_id = $1`, [tenantId]);
    return {
      enabled: r?.enabled ?? false,
      issuer: r?.issuer ?? '',
      clientId: r?.client_id ?? '',
      clientSecretSet: !!r?.client_secret_sealed,
      directoryId: r?.directory_id ?? '',
      jitParticipants: r?.jit_participants ?? false,
      trustIdpMfa: r?.trust_idp_mfa ?? false,
      redirectUri: this.redirectUri,
    };
  }

  async updateSettings(actor: Actor, s: SsoSettingsInput): Promise<SsoSettings> {
    const tenantId = this.access.tenantOf(actor);
    const issuer = new URL(s.issuer);
    if (
      issuer.protocol !== 'https:' &&
      !(this.config.NODE_ENV !== 'production' && ['127.0.0.1', 'localhost'].includes(issuer.hostname))
    ) {
      throw badRequest('validation_failed', 'The issuer must be an https address', [
        { field: 'issuer', messages: ['must start with https://'] },
      ]);
    }
    const issuerUrl = issuer.toString().replace(/\/$/, '');
    await this.db.transaction(async (m) => {
      const [current]: SsoRow[] = await m.query(
        `SELECT issuer, directory_id, client_secret_sealed FROM tenant_sso WHERE tenant_id = $1 FOR UPDATE`,
        [tenantId],
      );
      const sealed = s.clientSecret
        ? this.box.seal(s.clientSecret, `${SECRET_CONTEXT}:${tenantId}`)
        : (current?.client_secret_sealed ?? null);
      if (s.enabled && !sealed)
        throw badRequest('validation_failed', 'A client secret is needed to turn SSO on', [
          { field: 'clientSecret', messages: ['is required'] },
        ]);
      await m.query(
        `INSERT INTO tenant_sso (tenant_id, enabled, issuer, client_id, client_secret_sealed, directory_id, jit_participants, trust_idp_mfa, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
         ON CONFLICT (tenant_id) DO UPDATE SET enabled = EXCLUDED.enabled, issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id,
           client_secret_sealed = EXCLUDED.client_secret_sealed, directory_id = EXCLUDED.directory_id, jit_participants = EXCLUDED.jit_participants,
           trust_idp_mfa = EXCLUDED.trust_idp_mfa, updated_at = EXCLUDED.updated_at`,
        [
          tenantId,
          s.enabled,
          issuerUrl,
          s.clientId,
          sealed,
          s.directoryId,
          s.jitParticipants,
          s.trustIdpMfa,
          this.clock.now(),
        ],
      );
      // identities are bound to the provider they were linked under: another issuer or directory
      // unlinks everybody (people link again themselves), on the record in each person's privacy log
      if (current && (current.issuer !== issuerUrl || current.directory_id !== s.directoryId)) {
        // (TypeORM answers [rows, count] to a DELETE … RETURNING)
        const [gone]: [{ user_id: string }[], number] = await m.query(
          `DELETE FROM user_identities WHERE tenant_id = $1 RETURNING user_id`,
          [tenantId],
        );
        await this.privacy.recordMany(
          m,
          actor,
          gone.map(({ user_id }) => ({
            subjectId: user_id,
            tenantId,
            objectType: 'sso_identity',
            objectId: user_id,
            action: 'unlinked',
          })),
        );
        if (gone.length)
          this.logger.warn(
            `tenant ${tenantId}: the SSO issuer or directory changed; ${gone.length} linked identities removed`,
          );
      }
    });
    this.configs.delete(tenantId);
    return this.settings(actor);
  }

  /** Public: whether the organisation with this slug offers SSO. */
  async availability(slug: string): Promise<SsoAvailability> {
    const [t]: { name: string; enabled: boolean | null }[] = await this.db.query(
      `SELECT t.name, s.enabled FROM tenants t LEFT JOIN tenant_sso s ON s.tenant_id = t.id WHERE t.slug = $1`,
      [slug],
    );
    if (!t) throw notFound('Organisation');
    return { slug, tenantName: t.name, enabled: !!t.enabled };
  }

  async slugOf(tenantId: string): Promise<string | null> {
    const [t]: { slug: string }[] = await this.db.query(`SELECT slug FROM tenants WHERE id = $1`, [tenantId]);
    return t?.slug ?? null;
  }

  // ---- the flow ------------------------------------------------------------------------------------

  private async row(tenantId: string): Promise<SsoRow | null> {
    const [r]: SsoRow[] = await this.db.query(`SELECT * FROM tenant_sso WHERE tenant_id = $1 AND enabled`, [tenantId]);
    return r ?? null;
  }

  /** The provider's metadata by discovery, once per configuration (the issuer must match what it announces). */
  private client(r: SsoRow): Promise<oidc.Configuration> {
    const key = `${r.issuer}|${r.client_id}|${r.client_secret_sealed}`;
    const cached = this.configs.get(r.tenant_id);
    if (cached?.key === key) return cached.config;
    const secret = r.client_secret_sealed
      ? this.box.open(r.client_secret_sealed, `${SECRET_CONTEXT}:${r.tenant_id}`)
      : '';
    const insecure = new URL(r.issuer).protocol === 'http:';
    const config = oidc.discovery(
      new URL(r.issuer),
      r.client_id,
      { redirect_uris: [this.redirectUri] },
      oidc.ClientSecretPost(secret),
      insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    config.catch(() => this.configs.delete(r.tenant_id));
    this.configs.set(r.tenant_id, { key, config });
    return config;
  }

  /**
   * Starts a sign-in (or, with `linkUserId`, links the signed-in user's account) at the tenant's
   * identity provider; returns where to send the browser.
   */
  async start(req: Request, slug: string, linkUserId?: string): Promise<string> {
    const [t]: { id: string }[] = await this.db.query(`SELECT id FROM tenants WHERE slug = $1`, [slug]);
    const r = t ? await this.row(t.id) : null;
    if (!r) throw notFound('Single sign-on for this organisation');
    let config: oidc.Configuration;
    try {
      config = await this.client(r);
    } catch (e) {
      this.logger.warn(`SSO discovery for tenant ${r.tenant_id} failed: ${(e as Error).message}`);
      throw new AppError(
        HttpStatus.BAD_GATEWAY,
        'unavailable',
        'The identity provider cannot be reached; try again later or sign in with your password',
      );
    }
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
      throw new SsoRefused('expired', 'The sign-in took too long or was started elsewhere');
    const r = await this.row(pending.tenantId);
    if (!r) throw new SsoRefused('misconfigured', 'Single sign-on is off for this organisation');
    const config = await this.client(r);
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
    const [identity]: { id: string; user_id: string }[] = await this.db.query(
      `SELECT id, user_id FROM user_identities WHERE tenant_id = $1 AND issuer = $2 AND directory_id = $3 AND object_id = $4`,
      [r.tenant_id, r.issuer, tid, oid],
    );
    let userId = identity?.user_id ?? null;
    if (pending.linkUserId) {
      if (userId && userId !== pending.linkUserId)
        throw new SsoRefused('not_linked', 'This Microsoft account is already linked to someone else');
      if (!userId) await this.link(r, pending.linkUserId, tid, oid);
      return '/account?sso=linked';
    }
    if (!userId) {
      const email = typeof claims['email'] === 'string' ? claims['email'].trim().toLowerCase() : '';
      const [known]: { id: string }[] = email
        ? await this.db.query(`SELECT id FROM users WHERE email = $1 AND (tenant_id = $2 OR tenant_id IS NULL)`, [
            email,
            r.tenant_id,
          ])
        : [];
      // a known address with an unknown subject is not proof of who this is: never match by e-mail alone
      if (known) throw new SsoRefused('not_linked', 'This Microsoft account is not linked to a Rehearse account yet');
      if (!r.jit_participants || !email)
        throw new SsoRefused('no_account', 'There is no Rehearse account for this Microsoft account');
      userId = await this.createParticipant(
        r,
        email,
        typeof claims['name'] === 'string' ? claims['name'] : email,
        tid,
        oid,
      );
    }
    const [user]: {
      id: string;
      tenant_id: string;
      status: string;
      is_superuser: boolean;
      totp_enabled: boolean;
      security_stamp: string;
    }[] = await this.db.query(
      `SELECT id, tenant_id, status, is_superuser, totp_enabled, security_stamp FROM users WHERE id = $1`,
      [userId],
    );
    if (!user || user.tenant_id !== r.tenant_id || user.status !== 'active' || user.is_superuser)
      throw new SsoRefused('inactive', 'This Rehearse account cannot sign in');
    await this.db.query(
      `UPDATE user_identities SET last_used_at = $2 WHERE tenant_id = $1 AND issuer = $5 AND directory_id = $3 AND object_id = $4`,
      [r.tenant_id, this.clock.now(), tid, oid, r.issuer],
    );
    if (r.trust_idp_mfa) {
      await this.auth.completeSignIn(req, user.id, user.tenant_id);
      return '/';
    }
    const next = await this.auth.continueSignIn(
      {
        id: user.id,
        tenantId: user.tenant_id,
        isSuperuser: false,
        totpEnabled: user.totp_enabled,
        securityStamp: user.security_stamp,
      },
      req,
    );
    if (next.status === 'mfa_required') return `/login?mfa=${next.method}`;
    return '/';
  }

  private async link(r: SsoRow, userId: string, tid: string, oid: string): Promise<void> {
    await this.db.query(
      `INSERT INTO user_identities (tenant_id, user_id, issuer, directory_id, object_id, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
      [r.tenant_id, userId, r.issuer, tid, oid, this.clock.now()],
    );
  }

  private async createParticipant(r: SsoRow, email: string, name: string, tid: string, oid: string): Promise<string> {
    return this.db.transaction(async (m) => {
      const [u]: { id: string }[] = await m.query(
        `INSERT INTO users (tenant_id, email, name, status) VALUES ($1,$2,$3,'active') RETURNING id`,
        [r.tenant_id, email, name.slice(0, 200)],
      );
      await m.query(`INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1,$2,'participant')`, [
        r.tenant_id,
        u.id,
      ]);
      await m.query(
        `INSERT INTO user_identities (tenant_id, user_id, issuer, directory_id, object_id, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
        [r.tenant_id, u.id, r.issuer, tid, oid, this.clock.now()],
      );
      this.logger.log(`created participant ${u.id} on first SSO sign-in`);
      return u.id;
    });
  }
}
