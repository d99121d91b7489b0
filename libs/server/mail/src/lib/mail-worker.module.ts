import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MailComposers } from './mail-composers';
import { Mailer } from './mailer';
import { MailProcessor } from './mail.processor';
import { MailProducer } from './mail.producer';
import { MailOutboxRepository } from './mail-outbox.repository';
import { MailOutboxSweeper } from './mail-outbox.sweeper';
import { QueueMetrics } from './queue-metrics';
import { QueueModule } from './queue.module';

/**
 * The mail queue's consumer side, registered by the worker process together with each domain's
 * mail module (AccountsMailModule, FeedbackMailModule, PrivacyMailModule), whose composers it finds;
 * with the sweep that sends the kept e-mails (MailOutboxSweeper), and the queues' counts on the
 * worker's metrics page (QueueMetrics).
 */
@Module({
  imports: [QueueModule, DiscoveryModule],
  providers: [
    MailComposers,
    Mailer,
    MailProcessor,
    MailProducer,
    MailOutboxRepository,
    MailOutboxSweeper,
    QueueMetrics,
  ],
  exports: [Mailer],
})
export class MailWorkerModule {}
