import { Module } from '@nestjs/common';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { DataExportsRepository } from '../data-exports.repository';
import { AgreementEndMail } from './agreement-end.mail';
import { DestructionSoonMail } from './destruction-soon.mail';
import { PrivacyLogBrokenMail } from './privacy-log-broken.mail';
import { ExportReadyMail } from './export-ready.mail';
import { KeepRequestedMail } from './keep-requested.mail';
import { RetentionNoticeMail } from './retention-notice.mail';
import { RecordingsDeletedMail } from './recordings-deleted.mail';
import { DeletionReceiptsRepository } from '../deletion-receipts.repository';

/** Privacy's e-mails (deletion notice, recordings deleted, export ready, keep request, the agreement's end, a privacy log changed), for the worker's mail queue. */
@Module({
  imports: [AccountsRepositoriesModule],
  providers: [
    RetentionNoticeMail,
    RecordingsDeletedMail,
    ExportReadyMail,
    KeepRequestedMail,
    AgreementEndMail,
    DestructionSoonMail,
    PrivacyLogBrokenMail,
    DataExportsRepository,
    DeletionReceiptsRepository,
  ],
})
export class PrivacyMailModule {}
