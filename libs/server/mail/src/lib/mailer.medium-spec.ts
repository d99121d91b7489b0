/**
 * The one class that talks to the mail server, against a real SMTP server on localhost (the
 * medium tier): what the texts of an e-mail may carry (a course's title, a person's name, written
 * by people) never becomes a header of its own, however it is spelt.
 */
import type { AppConfig } from '@rehearse/server/core';
import { Mailbox } from '@rehearse/server/testing';
import { Mailer } from './mailer';

describe('the mailer on a real SMTP server (medium tier)', () => {
  const mailbox = new Mailbox();
  let mailer: Mailer;

  beforeAll(async () => {
    const port = await mailbox.start();
    mailer = new Mailer({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: 'Rehearse <no-reply@rehearse.test>',
    } as AppConfig);
  });
  afterAll(async () => {
    mailer?.onModuleDestroy();
    await mailbox.stop();
  });

  /** the header lines of the raw message (continuations folded back onto their header) */
  const headersOf = (raw: string) =>
    raw
      .split(/\r?\n\r?\n/)[0]
      .replace(/\r?\n[ \t]+/g, ' ')
      .split(/\r?\n/);

  it('keeps a subject with line breaks one subject: no Bcc, no second header, no early body', async () => {
    const before = mailbox.messages.length;
    await mailer.send({
      to: 'pim@example.test',
      subject: 'New feedback on “Hi\r\nBcc: evil@example.test\r\n\r\nforged body”',
      text: 'Hello',
      html: '<p>Hello</p>',
      list: { unsubscribe: 'https://rehearse.example.test/u?x=1\r\nX-Injected: yes' },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click\r\nX-Also-Injected: yes' },
    });
    const mail = await mailbox.waitFor('pim@example.test', /New feedback/, 10_000, before);
    const headers = headersOf(mail.raw);
    expect(headers.filter((h) => /^(bcc|x-injected|x-also-injected):/i.test(h))).toEqual([]);
    expect(headers.filter((h) => /^subject:/i.test(h))).toHaveLength(1);
    expect(mail.subject).toBe('New feedback on “Hi Bcc: evil@example.test  forged body”');
    // the only recipient is the one named
    expect(mail.to).toBe('pim@example.test');
    expect(mail.text.trim()).toBe('Hello');
  });
});
