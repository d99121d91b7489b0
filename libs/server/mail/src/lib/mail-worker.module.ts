import { Module } from '@nestjs/common';
import { MailComposer } from './mail-composer';
import { Mailer } from './mailer';
import { MailProcessor } from './mail.processor';
import { QueueModule } from './queue.module';

/** The mail queue's consumer side, registered by the worker process. */
@Module({
  imports: [QueueModule],
  providers: [MailComposer, Mailer, MailProcessor],
  exports: [Mailer],
})
export class MailWorkerModule {}
