import { AccountActivity } from './account-activity.service';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SsoAvailability, SsoSettings, SsoSettingsInput } from '@rehearse/shared/contracts';
import { AccessService, Actor, PrivacyLogService } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, badRequest, Clock, notFound, SecretBox } from '@rehearse/server/core';
import { SsoRepository } from './sso.repository';

/** What the sealed client secret is bound to (with the tenant id). */
export const SSO_SECRET_CONTEXT = 'sso-client-secret';

/** Where the identity provider sends people back: the address to register with it. */
export function ssoRedirectUri(config: AppConfig): string {
  return new URL('/api/auth/sso/callback', config.PUBLIC_URL).toString();
}

/**
 * Why the API may not talk to this issuer, or null when it may: https on a host the operator
 * allows (`SSO_ISSUER_HOSTS`); outside production also a provider on this machine (the tests' and a
 * developer's), over http too. The API fetches the issuer's metadata and keys and posts codes to
 * it whenever anyone starts a sign-in, so an issuer elsewhere would let an organisation's
 * administrator aim the API at the operator's own network.
 */
export function issuerRefused(config: AppConfig, issuer: URL): { message: string; detail: string } | null {
  const local = config.NODE_ENV !== 'production' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !local)
    return { message: 'The issuer must be an https address', detail: 'must start with https://' };
  if (!local && !config.SSO_ISSUER_HOSTS.includes(issuer.hostname))
    return {
      message: 'This installation does not allow single sign-on with this identity provider: ask its operator',
      detail: `must be on ${config.SSO_ISSUER_HOSTS.join(', ')}`,
    };
  return null;
}

/**
 * An organisation's single sign-on settings, as its administrators see and change them (the
 * client secret sealed, never shown again), and whether the sign-in page offers it. Changing the
 * issuer or the directory unlinks every identity linked under the old one, on each person's record.
 * The sign-in itself is SsoService's.
 */
@Injectable()
export class SsoSettingsService {
  private readonly logger = new Logger(SsoSettingsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    private readonly access: AccessService,
    private readonly privacy: PrivacyLogService,
    private readonly sso: SsoRepository,
    private readonly activity: AccountActivity,
  ) {}

  async settings(actor: Actor): Promise<SsoSettings> {
    const tenantId = this.access.tenantOf(actor);
    const r = await this.sso.settings(tenantId);
    return {
      enabled: r?.enabled ?? false,
      issuer: r?.issuer ?? '',
      clientId: r?.client_id ?? '',
      clientSecretSet: !!r?.client_secret_sealed,
      directoryId: r?.directory_id ?? '',
      jitParticipants: r?.jit_participants ?? false,
      trustIdpMfa: r?.trust_idp_mfa ?? false,
      redirectUri: ssoRedirectUri(this.config),
    };
  }

  async updateSettings(actor: Actor, s: SsoSettingsInput): Promise<SsoSettings> {
    const tenantId = this.access.tenantOf(actor);
    const issuer = new URL(s.issuer);
    const refused = issuerRefused(this.config, issuer);
    if (refused)
      throw badRequest('validation_failed', refused.message, [{ field: 'issuer', messages: [refused.detail] }]);
    const issuerUrl = issuer.toString().replace(/\/$/, '');
    await this.db.transaction(async (m) => {
      const current = await this.sso.lockSettings(tenantId, m);
      const sealed = s.clientSecret
        ? this.box.seal(s.clientSecret, `${SSO_SECRET_CONTEXT}:${tenantId}`)
        : (current?.client_secret_sealed ?? null);
      if (s.enabled && !sealed)
        throw badRequest('validation_failed', 'A client secret is needed to turn SSO on', [
          { field: 'clientSecret', messages: ['is required'] },
        ]);
      const changed = [
        (current?.enabled ?? false) !== s.enabled && 'enabled',
        (current?.issuer ?? '') !== issuerUrl && 'issuer',
        (current?.client_id ?? '') !== s.clientId && 'clientId',
        !!s.clientSecret && 'clientSecret',
        (current?.directory_id ?? '') !== s.directoryId && 'directoryId',
        (current?.jit_participants ?? false) !== s.jitParticipants && 'jitParticipants',
        (current?.trust_idp_mfa ?? false) !== s.trustIdpMfa && 'trustIdpMfa',
      ].filter((k): k is string => !!k);
      if (changed.length)
        await this.activity.record(m, actor, tenantId, [
          { action: 'organisation.sso_changed', subjectId: null, details: { settings: changed } },
        ]);
      await this.sso.saveSettings(
        tenantId,
        {
          enabled: s.enabled,
          issuer: issuerUrl,
          client_id: s.clientId,
          client_secret_sealed: sealed,
          directory_id: s.directoryId,
          jit_participants: s.jitParticipants,
          trust_idp_mfa: s.trustIdpMfa,
        },
        this.clock.now(),
        m,
      );
      // identities are bound to the provider they were linked under: another issuer or directory
      // unlinks everybody (people link again themselves), on the record in each person's privacy log
      if (current && (current.issuer !== issuerUrl || current.directory_id !== s.directoryId)) {
        const gone = await this.sso.unlinkAll(tenantId, m);
        await this.privacy.recordMany(
          m,
          actor,
          gone.map((user_id) => ({
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
    return this.settings(actor);
  }

  /** Public: whether the organisation with this slug offers SSO. */
  async availability(slug: string): Promise<SsoAvailability> {
    const t = await this.sso.availability(slug);
    if (!t) throw notFound('Organisation');
    return { slug, tenantName: t.name, enabled: t.enabled };
  }
}
