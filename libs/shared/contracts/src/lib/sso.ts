/** Single sign-on per tenant with Microsoft Entra ID (OpenID Connect). */

/** What administrators see and set. The client secret is write-only. */
export interface SsoSettings {
  enabled: boolean;
  /** the OpenID issuer, e.g. https://login.microsoftonline.com/<directory id>/v2.0 */
  issuer: string;
  clientId: string;
  /** a client secret is stored (it is never shown again) */
  clientSecretSet: boolean;
  /** the Entra directory (tenant) id: ID tokens from any other directory are refused */
  directoryId: string;
  /** create a participant on first sign-in of someone the directory knows and Rehearse does not */
  jitParticipants: boolean;
  /** skip Rehearse's own second factor: the directory enforces MFA */
  trustIdpMfa: boolean;
  /** the redirect URI to register with the identity provider */
  redirectUri: string;
}

export interface SsoSettingsInput extends Omit<SsoSettings, 'clientSecretSet' | 'redirectUri'> {
  /** leave out to keep the stored secret */
  clientSecret?: string;
}

/** Public: whether an organisation offers SSO (for the sign-in page). */
export interface SsoAvailability {
  slug: string;
  tenantName: string;
  enabled: boolean;
}

/** Why an SSO sign-in was refused (the sign-in page explains each). */
export type SsoError =
  | 'expired'
  | 'state'
  | 'provider'
  | 'directory'
  | 'not_linked'
  | 'no_account'
  | 'inactive'
  | 'misconfigured'
  /** the identity provider could not be reached (its metadata), at the start or on the way back */
  | 'unavailable'
  /** linking: this Microsoft account is linked to another person of the organisation */
  | 'linked_elsewhere'
  /** the person's sign-in codes for this while (SIGN_IN_CODE_MAILS) were all mailed already */
  | 'too_many_codes';

/** The signed-in person's sign-in with their organisation (the account page). */
export interface AccountSso {
  /** the organisation offers sign-in with its identity provider (and the person may link to it) */
  offered: boolean;
  /** when the person's Microsoft account was linked; null when it is not */
  linkedAt: string | null;
  /** when it last signed them in; null when it never has */
  lastUsedAt: string | null;
}
