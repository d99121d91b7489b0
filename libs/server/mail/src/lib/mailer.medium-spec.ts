/**
 * The one class that talks to the mail server, against a real SMTP server on localhost (the
 * medium tier): what the texts of an e-mail may carry (a course's title, a person's name, written
 * by people) never becomes a header of its own, however it is spelt.
 */
import type { AppConfig } from '@rehearse/server/core';
import { Mailbox, silentServer } from '@rehearse/server/testing';
import { Mailer, SMTP_CHECK, SMTP_TIMEOUTS } from './mailer';

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

describe('the mailer and a mail server that takes the connection and says nothing', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const mailers: Mailer[] = [];
  const mailerAt = (url: string) => {
    const mailer = new Mailer({ SMTP_URL: url, MAIL_FROM: 'Rehearse <no-reply@rehearse.test>' } as AppConfig);
    mailers.push(mailer);
    return mailer;
  };

  beforeAll(async () => {
    silent = await silentServer();
  });
  afterAll(async () => {
    for (const m of mailers) m.onModuleDestroy();
    await silent?.close();
  });

  it('waits for it seconds, not minutes: its own limits unless SMTP_URL names others', async () => {
    const options = (m: Mailer) =>
      (m as unknown as { transport: { options: Record<string, unknown> } }).transport.options;
    expect(options(mailerAt(`smtp://user:secret@127.0.0.1:${silent.port}`))).toMatchObject({
      ...SMTP_TIMEOUTS,
      host: '127.0.0.1',
      auth: { user: 'user', pass: 'secret' },
    });
    // the URL's own settings win; a mail on the silent server fails by them (the job is tried again later)
    const quick = mailerAt(`smtp://127.0.0.1:${silent.port}/?greetingTimeout=300`);
    expect(options(quick)).toMatchObject({ ...SMTP_TIMEOUTS, greetingTimeout: 300 });
    await expect(
      quick.send({ to: 'pim@example.test', subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' }),
    ).rejects.toThrow(/greeting/i);
  });

  it('is asked at most once a minute for the health report, which does not wait for its answer past a moment', async () => {
    const mailer = mailerAt(`smtp://127.0.0.1:${silent.port}/?greetingTimeout=${SMTP_CHECK.waitMs * 2}`);
    const before = silent.connections();
    // no answer yet: unknown, the check still out (the report came back without it)
    const now = Date.now();
    expect(await mailer.reachable(now)).toBeNull();
    expect(silent.connections()).toBe(before + 1);
    // then the check gives up on the greeting: down, and probes within the minute ask nobody
    await new Promise((resolve) => setTimeout(resolve, SMTP_CHECK.waitMs * 1.5));
    expect(await mailer.reachable(now + 1_000)).toBe(false);
    expect(await mailer.reachable(now + SMTP_CHECK.everyMs - 1)).toBe(false);
    expect(silent.connections()).toBe(before + 1);
    // a minute after the last check, the next report asks again
    expect(await mailer.reachable(now + SMTP_CHECK.everyMs)).toBe(false);
    expect(silent.connections()).toBe(before + 2);
    // that check gives up on the greeting too, and the report after it asks nobody else
    await new Promise((resolve) => setTimeout(resolve, SMTP_CHECK.waitMs * 1.5));
    expect(await mailer.reachable(now + SMTP_CHECK.everyMs + 1)).toBe(false);
    expect(silent.connections()).toBe(before + 2);
  }, 30_000);
});
