import { Module } from '@nestjs/common';
import { MailOutbox, MailOutboxRepository, MailProducer, QueueModule } from '@rehearse/server/mail';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';
import { LicenceExpiryDeletions } from './licence-expiry-deletions';
import { Shredder } from './shredder';
import { ExportService } from './export.service';
import { ExportDownloads } from './export-downloads.service';
import { ExportBuilder } from './export-builder';
import { ExportsOfHiddenAnswers } from './exports-of-hidden-answers';
import { DataExportsRepository } from './data-exports.repository';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { PersonFootprint } from './person-footprint';
import { OrganisationFootprint } from './organisation-footprint';
import { AccountsRepositoriesModule } from '@rehearse/server/accounts';
import { CoursesRepositoriesModule } from '@rehearse/server/courses';
import { FeedbackRepositoriesModule } from '@rehearse/server/feedback';
import { RecordingsRepositoriesModule } from '@rehearse/server/recordings';
import { ExportProcessor } from './export.processor';
import { TenantDestructionService } from './tenant-destruction.service';
import { PrivacyLogCheckSweeper } from './privacy-log-check.sweeper';
import { PrivacyLogWitness } from './privacy-log-witness';
import { RetentionSweeper } from './retention.sweeper';
import { PrivacyLogReader } from './privacy-log-reader';
import { ReceiptSigner } from './receipt-signer';
import { SignedReceipts } from './signed-receipts.service';
import { ReceiptSeals } from './receipt-seals';

const SERVICES = [
  Shredder,
  RetentionService,
  LicenceExpiryDeletions,
  ErasureService,
  TenantDestructionService,
  ExportService,
  ExportDownloads,
  ExportBuilder,
  PersonFootprint,
  OrganisationFootprint,
  PrivacyLogReader,
  ExportsOfHiddenAnswers,
];
/** Every receipt is signed where it is written (the API's erasures, the worker's deletions and destructions). */
const SIGNING = [ReceiptSigner, ReceiptSeals];
/** The statements on privacy's own tables. */
const REPOSITORIES = [DataExportsRepository, DeletionReceiptsRepository];
/** The other libraries' footprint repositories (a person's and an organisation's data in their tables). */
const FOOTPRINTS = [
  AccountsRepositoriesModule,
  CoursesRepositoriesModule,
  RecordingsRepositoriesModule,
  FeedbackRepositoriesModule,
];

/** The API side: the user's retention status and keep request, administrators' decisions, settings, receipts and erasure. */
@Module({
  imports: [QueueModule, ...FOOTPRINTS],
  providers: [...SERVICES, ...REPOSITORIES, ...SIGNING, SignedReceipts, MailProducer, MailOutbox, MailOutboxRepository],
  exports: [...SERVICES, SignedReceipts],
})
export class PrivacyModule {}

/** The worker side: the retention sweep, the daily check of the privacy logs and the data export builder. */
@Module({
  imports: [QueueModule, ...FOOTPRINTS],
  providers: [
    ...SERVICES,
    ...REPOSITORIES,
    ...SIGNING,
    RetentionSweeper,
    PrivacyLogWitness,
    PrivacyLogCheckSweeper,
    ExportProcessor,
    MailProducer,
    MailOutbox,
    MailOutboxRepository,
  ],
  exports: SERVICES,
})
export class PrivacyWorkerModule {}

/** Only the export builder (the API tests' in-process worker). */
@Module({
  imports: [QueueModule, ...FOOTPRINTS],
  providers: [
    ...SERVICES,
    ...REPOSITORIES,
    ...SIGNING,
    ExportProcessor,
    MailProducer,
    MailOutbox,
    MailOutboxRepository,
  ],
  exports: SERVICES,
})
export class ExportWorkerModule {}
