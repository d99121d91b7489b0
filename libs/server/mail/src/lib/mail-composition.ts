import { DiscoveryService } from '@nestjs/core';
import type { MailJobName, MailJobs } from '@rehearse/shared/contracts';
import { translations } from '@rehearse/server/core';
import type { OutgoingMail } from './mailer';

/**
 * How a domain writes its own e-mail: a provider marked `@ComposesMail('invitation')` that
 * implements `MailComposer<'invitation'>` reads the state the job names through its library's
 * repositories and returns the message. The mail library sends; it reads no domain's tables.
 */
export interface ComposedMail {
  mail: OutgoingMail;
  /** called after the SMTP server accepted the message (clears sealed secrets) */
  sent(): Promise<void>;
}

export interface MailComposer<N extends MailJobName> {
  /** The message, or null when there is nothing (left) to send: already sent, consumed, expired, or the person is gone. */
  compose(payload: MailJobs[N]): Promise<ComposedMail | null>;
}

/** Marks a provider as the composer of one mail job (found by the worker's MailComposers at start-up). */
export const ComposesMail = DiscoveryService.createDecorator<MailJobName>();

/** Nothing to do after sending. */
export const NOTHING_AFTER_SENDING = async (): Promise<void> => undefined;

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** The same parameters with every value escaped for HTML (the catalogues' own text is trusted). */
export function escaped(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? escapeHtml(v) : v]));
}

/** The greeting every e-mail opens with, in English and Dutch (each domain's catalogue holds the rest). */
export const MAIL_GREETING_TEXT = {
  en: { hello: 'Hello {{name}},' },
  nl: { hello: 'Hallo {{name}},' },
} as const satisfies Record<'en' | 'nl', Record<'hello', string>>;

const greetingIn = translations(MAIL_GREETING_TEXT);

/** "Hello Pim," in the recipient's language, as text and as escaped HTML. */
export function greeting(locale: string | null, name: string): { text: string; html: string } {
  const t = greetingIn(locale);
  return { text: t('hello', { name }), html: t('hello', escaped({ name })) };
}

/** An absolute link into the web app (PUBLIC_URL). */
export function appLink(publicUrl: string, path: string): string {
  return new URL(path, publicUrl).toString();
}
