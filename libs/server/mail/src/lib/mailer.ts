import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * for a mail the person may stop (not a sign-in code or a notice about their account): where
   * they stop it, as the List-Unsubscribe header (RFC 2369) that mail programs offer as a button
   */
  list?: { unsubscribe: string };
  /** further headers (List-Unsubscribe-Post, RFC 8058) */
  headers?: Record<string, string>;
}

/**
 * How long the mail server may keep a connection silent, in milliseconds: to open it, to greet,
 * between the steps of a mail. nodemailer's own (2 minutes, 30 s, 10 minutes) held a mail job that
 * long on a server that took the connection and said nothing. SMTP_URL's query names others
 * (`?greetingTimeout=30000`).
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

/** How often the health report asks the mail server again, and how long a report waits for its answer. */
export const SMTP_CHECK = { everyMs: 60_000, waitMs: 2_000 };

/** SMTP through nodemailer. The only class that talks to the mail server. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;
  private readonly check: { at: number; known: boolean | null; pending: Promise<boolean> | null } = {
    at: -Infinity,
    known: null,
    pending: null,
  };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // (nodemailer reads an object that names a url from the url alone: its settings are merged here)
    this.transport = nodemailer.createTransport({ ...SMTP_TIMEOUTS, ...parseConnectionUrl(config.SMTP_URL) });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.config.MAIL_FROM, ...mail });
  }

  /** Whether the mail server answers now: a connection, its greeting, and a sign-in where SMTP_URL has credentials. */
  async verify(): Promise<boolean> {
    try {
      return await this.transport.verify();
    } catch {
      return false;
    }
  }

  /**
   * The mail server's state for a health report: `verify` at most once per `SMTP_CHECK.everyMs`,
   * so probes every few seconds do not sign in to the operator's mail provider each time (a
   * provider throttles that), and a report waits at most `SMTP_CHECK.waitMs` for an answer, then
   * gives the last one known (`null`: none yet), so a mail server that says nothing does not hold
   * the probe past its own time limit.
   */
  async reachable(now = Date.now()): Promise<boolean | null> {
    const check = this.check;
    if (!check.pending && now - check.at >= SMTP_CHECK.everyMs) {
      check.at = now;
      check.pending = this.verify().then((ok) => {
        check.known = ok;
        check.pending = null;
        return ok;
      });
    }
    if (!check.pending) return check.known;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), SMTP_CHECK.waitMs);
    });
    try {
      return (await Promise.race([check.pending, late])) ?? check.known;
    } finally {
      clearTimeout(timer);
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
