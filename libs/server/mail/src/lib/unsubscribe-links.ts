import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, SecretBox, translations } from '@rehearse/server/core';
import { appLink, escapeHtml } from './mail-composition';

import type { UnsubscribeTopic } from '@rehearse/shared/contracts';

/** What an e-mail the person may stop says at its end, in English and Dutch. */
export const MAIL_STOPPABLE_TEXT = {
  en: {
    stop: 'Stop e-mails like this one:',
    choose: 'Choose which e-mails you receive on your account page:',
  },
  nl: {
    stop: 'Geen e-mails meer zoals deze:',
    choose: 'Kies op je accountpagina welke e-mails je krijgt:',
  },
} as const satisfies Record<'en' | 'nl', Record<'stop' | 'choose', string>>;

const stoppableIn = translations(MAIL_STOPPABLE_TEXT);

/** The end of an e-mail the person may stop, and the headers that let mail programs stop it. */
export interface StoppableMail {
  text: string;
  html: string;
  /** List-Unsubscribe (RFC 2369): the one-click address */
  list: { unsubscribe: string };
  /** List-Unsubscribe-Post (RFC 8058): mail programs stop it with one POST, no sign-in */
  headers: Record<string, string>;
}

/**
 * Links that stop one kind of e-mail for one person without signing in: signed with the
 * installation's secret (an HMAC of the person's id and the kind, so a link cannot be made for
 * someone else or another kind), never expiring, and able only to turn that e-mail off.
 *
 * Each such e-mail carries two: the page `/unsubscribe?…` in its text (a click asks first: mail
 * scanners open every link), and `/api/mail/unsubscribe?…` in List-Unsubscribe with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), which mail programs POST to
 * when the person presses their "unsubscribe" button; a GET there sends the browser to the page.
 */
@Injectable()
export class UnsubscribeLinks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly box: SecretBox,
  ) {}

  /** The signature of the link that stops `topic` for the person. */
  signature(userId: string, topic: UnsubscribeTopic): string {
    return this.box.hash(`${userId}:${topic}`, 'unsubscribe:v1');
  }

  /** Whether `signature` is the one of the link that stops `topic` for the person (in constant time). */
  verify(userId: string, topic: UnsubscribeTopic, signature: string): boolean {
    return SecretBox.equal(signature, this.signature(userId, topic));
  }

  /** `u`, `t` and `s` of the link, as a query string. */
  searchOf(userId: string, topic: UnsubscribeTopic): string {
    return new URLSearchParams({ u: userId, t: topic, s: this.signature(userId, topic) }).toString();
  }

  /** The web app's page that asks, then stops the e-mail. */
  page(userId: string, topic: UnsubscribeTopic): string {
    return appLink(this.config.PUBLIC_URL, `/unsubscribe?${this.searchOf(userId, topic)}`);
  }

  /** The API's address that mail programs POST to (RFC 8058). */
  oneClick(userId: string, topic: UnsubscribeTopic): string {
    return appLink(this.config.PUBLIC_URL, `/api/mail/unsubscribe?${this.searchOf(userId, topic)}`);
  }

  /** The end of the e-mail (the stop link and the account page) and its headers, in the person's language. */
  footer(locale: string | null, userId: string, topic: UnsubscribeTopic): StoppableMail {
    const t = stoppableIn(locale);
    const stop = this.page(userId, topic);
    const account = appLink(this.config.PUBLIC_URL, '/account');
    return {
      text: `\n${t('stop')}\n${stop}\n${t('choose')}\n${account}\n`,
      html:
        `<p>${escapeHtml(t('stop'))} <a href="${escapeHtml(stop)}">${escapeHtml(stop)}</a><br>` +
        `${escapeHtml(t('choose'))} <a href="${escapeHtml(account)}">${escapeHtml(account)}</a></p>`,
      list: { unsubscribe: this.oneClick(userId, topic) },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }
}
