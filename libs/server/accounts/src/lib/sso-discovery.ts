import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, AppConfig, SecretBox } from '@rehearse/server/core';
import type { SsoRow } from './sso.repository';
import { SsoRefused } from './sso-refused';
import { issuerRefused, SSO_SECRET_CONTEXT, ssoRedirectUri } from './sso-settings.service';

/**
 * The identity providers' metadata (OpenID Connect discovery), fetched once per organisation's
 * configuration and kept while it stays the same: the issuer must match what it announces, and one
 * the operator no longer allows (SSO_ISSUER_HOSTS) is refused even when saved before.
 */
@Injectable()
export class SsoDiscovery {
  private readonly logger = new Logger(SsoDiscovery.name);
  private readonly configs = new Map<string, { key: string; config: Promise<oidc.Configuration> }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  /** The provider's metadata by discovery, once per configuration (the issuer must match what it announces). */
  private client(r: SsoRow): Promise<oidc.Configuration> {
    const key = `${r.issuer}|${r.client_id}|${r.client_secret_sealed}`;
    const cached = this.configs.get(r.tenant_id);
    if (cached?.key === key) return cached.config;
    // saved before the operator narrowed SSO_ISSUER_HOSTS (or written around the settings' check)
    const refused = issuerRefused(this.config, new URL(r.issuer));
    if (refused) return Promise.reject(new Error(`the issuer ${r.issuer} is refused: ${refused.detail}`));
    const secret = r.client_secret_sealed
      ? this.box.open(r.client_secret_sealed, `${SSO_SECRET_CONTEXT}:${r.tenant_id}`)
      : '';
    const insecure = new URL(r.issuer).protocol === 'http:';
    const config = oidc.discovery(
      new URL(r.issuer),
      r.client_id,
      { redirect_uris: [ssoRedirectUri(this.config)] },
      oidc.ClientSecretPost(secret),
      insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    config.catch(() => this.configs.delete(r.tenant_id));
    this.configs.set(r.tenant_id, { key, config });
    return config;
  }

  /** The provider's metadata, or a refusal saying that it cannot be reached now. */
  async reach(r: SsoRow, linking: boolean): Promise<oidc.Configuration> {
    try {
      return await this.client(r);
    } catch (e) {
      this.logger.warn(`SSO discovery for tenant ${r.tenant_id} failed: ${(e as Error).message}`);
      throw new SsoRefused('unavailable', 'The identity provider cannot be reached', linking);
    }
  }
}
