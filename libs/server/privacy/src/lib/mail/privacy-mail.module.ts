import { Module } from '@nestjs/common';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { DataExportsRepository } from '../data-exports.repository';
import { ExportReadyMail } from './export-ready.mail';
import { KeepRequestedMail } from './keep-requested.mail';
import { RetentionNoticeMail } from './retention-notice.mail';

/** Privacy's e-mails (deletion notice, export ready, keep request), for the worker's mail queue. */
@Module({
  imports: [AccountsRepositoriesModule],
  providers: [RetentionNoticeMail, ExportReadyMail, KeepRequestedMail, DataExportsRepository],
})
export class PrivacyMailModule {}
