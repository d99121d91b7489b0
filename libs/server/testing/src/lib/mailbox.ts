import { createServer, Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: Date;
  raw: string;
}

/**
 * A real SMTP server on localhost that keeps every message: the development mail catcher
 * (with a web page and a folder of .eml files) and the test suites' inbox.
 */
export class Mailbox {
  readonly messages: ReceivedMail[] = [];
  private smtp?: SMTPServer;
  private web?: Server;
  private waiters: (() => void)[] = [];
  port = 0;

  constructor(private readonly emlDir?: string) {
    if (emlDir) mkdirSync(emlDir, { recursive: true });
  }

  async start(port = 0, host = '127.0.0.1'): Promise<number> {
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw)
            .then((m) => {
              const to = Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? '');
              const mail: ReceivedMail = {
                id: this.messages.length + 1,
                to: to.toLowerCase(),
                subject: m.subject ?? '',
                text: m.text ?? '',
                html: typeof m.html === 'string' ? m.html : '',
                receivedAt: new Date(),
                raw: raw.toString('utf8'),
              };
              this.messages.push(mail);
              // time-stamped names: a new run never overwrites the messages of an earlier one
              if (this.emlDir)
                writeFileSync(
                  join(
                    this.emlDir,
                    `${mail.receivedAt.toISOString().replace(/[:.]/g, '-')}-${String(mail.id).padStart(5, '0')}.eml`,
                  ),
                  raw,
                );
              const w = this.waiters;
              this.waiters = [];
              w.forEach((f) => f());
              callback();
            })
            .catch((e: Error) => callback(e));
        });
      },
    });
    await new Promise<void>((resolve) => this.smtp?.listen(port, host, () => resolve()));
    this.port = ((this.smtp as unknown as { server: Server }).server.address() as AddressInfo).port;
    return this.port;
  }

  /** Waits for a message to the address whose subject matches. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 15_000, after = 0): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(
        (m) => m.id > after && m.to.includes(to.toLowerCase()) && subject.test(m.subject),
      );
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no mail to ${to} matching ${subject} within ${timeoutMs} ms (have: ${this.messages.map((m) => `${m.to}: ${m.subject}`).join('; ')})`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** A read-only page listing received messages, for people clicking through the development run. */
  async serveWeb(port: number, host = '127.0.0.1'): Promise<void> {
    const esc = (s: string) =>
      s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
    const linkify = (s: string) => esc(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
    this.web = createServer((req, res) => {
      const items = [...this.messages]
        .reverse()
        .map(
          (m) =>
            `<article><h2>${esc(m.subject)}</h2><p><b>To:</b> ${esc(m.to)} · ${m.receivedAt.toISOString()}</p><pre>${linkify(m.text)}</pre></article>`,
        )
        .join('');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.end(`<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Rehearse mail (${this.messages.length})</title>
<style>body{font:15px system-ui;margin:2rem;max-width:60rem}article{border:1px solid #ccc;border-radius:8px;padding:0 1rem;margin:1rem 0}pre{white-space:pre-wrap}</style>
<h1>Development mailbox</h1><p>${this.messages.length} message(s); newest first; refreshes every 5 s.</p>${items || '<p>No mail yet.</p>'}`);
      void req;
    });
    await new Promise<void>((resolve) => this.web?.listen(port, host, () => resolve()));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.smtp ? this.smtp.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.web ? this.web.close(() => resolve()) : resolve()));
  }
}
