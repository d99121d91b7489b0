import 'express-session';
import type { TenantRole } from '@rehearse/shared/contracts';

/** What a signed-in session holds. Never credentials, never codes. */
export interface SessionAuth {
  userId: string;
  tenantId: string | null;
  authAt: number;
  impersonation?: {
    id: string;
    superuserId: string;
    expiresAt: number;
  };
}

/** A sign-in waiting for its second factor. */
export interface PendingSignIn {
  userId: string;
  /** the person's organisation (null: a superuser); absent in sign-ins begun before it was kept */
  tenantId?: string | null;
  method: 'email' | 'totp';
  challengeId: string | null;
  startedAt: number;
}

/** An SSO sign-in on its way to the identity provider and back. */
export interface PendingSso {
  tenantId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  startedAt: number;
  /** linking the signed-in user's account, not signing in */
  linkUserId?: string;
}

declare module 'express-session' {
  interface SessionData {
    auth?: SessionAuth;
    pending?: PendingSignIn;
    sso?: PendingSso;
    csrfToken?: string;
    createdAt?: number;
    userAgent?: string;
    ip?: string;
  }
}

export type { TenantRole };
