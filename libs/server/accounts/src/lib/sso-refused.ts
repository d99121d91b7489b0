import type { SsoError } from '@rehearse/shared/contracts';

/**
 * An SSO sign-in (or a link of one's account) that did not go through. The browser is on a page
 * load, not a call of the web app: it goes back to the sign-in page, or to the account page when
 * linking, which explains `reason` (`page`).
 */
export class SsoRefused extends Error {
  constructor(
    readonly reason: SsoError,
    message: string,
    readonly linking = false,
  ) {
    super(message);
  }

  /** Where the browser goes: the page that explains the reason. */
  get page(): string {
    return `${this.linking ? '/account' : '/login'}?sso_error=${this.reason}`;
  }
}
