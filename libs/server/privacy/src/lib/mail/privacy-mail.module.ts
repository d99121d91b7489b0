import { Module } from '@nestjs/common';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { DataExportsRepository } from '../data-exports.repository';
import { AgreementEndMail } from './agreement-end.mail';
import { DestructionSoonMail } from './destruction-soon.mail';
import { ExportReadyMail } from './export-ready.mail';
import { KeepRequestedMail } from './keep-requested.mail';
import { RetentionNoticeMail } from './retention-notice.mail';

/** Privacy's e-mails (deletion notice, export ready, keep request, the agreement's end), for the worker's mail queue. */
@Module({
  imports: [AccountsRepositoriesModule],
  providers: [
    RetentionNoticeMail,
    ExportReadyMail,
    KeepRequestedMail,
    AgreementEndMail,
    DestructionSoonMail,
    DataExportsRepository,
  ],
})
export class PrivacyMailModule {}
