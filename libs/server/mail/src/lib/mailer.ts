import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
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

/** SMTP through nodemailer. The only class that talks to the mail server. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = nodemailer.createTransport(config.SMTP_URL);
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transport.sendMail({ from: this.config.MAIL_FROM, ...mail });
  }

  async verify(): Promise<boolean> {
    try {
      return await this.transport.verify();
    } catch {
      return false;
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
