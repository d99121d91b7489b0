import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MailComposers } from './mail-composers';
import { Mailer } from './mailer';
import { MailProcessor } from './mail.processor';
import { QueueModule } from './queue.module';

/**
 * The mail queue's consumer side, registered by the worker process together with each domain's
 * mail module (AccountsMailModule, FeedbackMailModule, PrivacyMailModule), whose composers it finds.
 */
@Module({
  imports: [QueueModule, DiscoveryModule],
  providers: [MailComposers, Mailer, MailProcessor],
  exports: [Mailer],
})
export class MailWorkerModule {}
