import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { MAIL_JOB_NAMES, type MailJobName } from '@rehearse/shared/contracts';
import { MailComposers } from './mail-composers';
import { type ComposedMail, ComposesMail, type MailComposer, NOTHING_AFTER_SENDING } from './mail-composition';

/** A composer class for `name` that writes a one-line message naming its job and payload. */
function composerOf(name: MailJobName) {
  @Injectable()
  @ComposesMail(name)
  class Composer implements MailComposer<MailJobName> {
    async compose(payload: object): Promise<ComposedMail> {
      return {
        mail: { to: 'x@example.test', subject: name, text: JSON.stringify(payload), html: '' },
        sent: NOTHING_AFTER_SENDING,
      };
    }
  }
  return Composer;
}

async function start(composers: ReturnType<typeof composerOf>[]) {
  @Module({ imports: [DiscoveryModule], providers: [MailComposers, ...composers] })
  class Registry {}
  const app = await NestFactory.createApplicationContext(Registry, { logger: false, abortOnError: false });
  return app;
}

describe('the mail composers the domains register', () => {
  it('hands each job to the composer registered for it', async () => {
    const app = await start(MAIL_JOB_NAMES.map(composerOf));
    const composers = app.get(MailComposers);
    const composed = await composers.compose('export-ready', { exportId: 'e1' });
    expect(composed?.mail).toMatchObject({ subject: 'export-ready', text: '{"exportId":"e1"}' });
    expect((await composers.compose('invitation', { invitationId: 'i1' }))?.mail.subject).toBe('invitation');
    await app.close();
  });

  it('refuses to start when a job has no composer (its domain mail module was not imported) or two', async () => {
    const withoutExports = MAIL_JOB_NAMES.filter((n) => n !== 'export-ready').map(composerOf);
    await expect(start(withoutExports)).rejects.toThrow(
      'no composer for the mail jobs export-ready (import their domain',
    );
    const invitationTwice = [...MAIL_JOB_NAMES.map(composerOf), composerOf('invitation')];
    await expect(start(invitationTwice)).rejects.toThrow('more than one composer for invitation');
  });
});
