import { Module } from '@nestjs/common';
import { MailProducer, QueueModule } from '@rehearse/server/mail';
import { ErasureService } from './erasure.service';
import { RetentionService } from './retention.service';
import { Shredder } from './shredder';
import { ExportService } from './export.service';
import { ExportBuilder } from './export-builder';
import { DataExportsRepository } from './data-exports.repository';
import { DeletionReceiptsRepository } from './deletion-receipts.repository';
import { PersonFootprintRepository } from './person-footprint.repository';
import { OrganisationFootprintRepository } from './organisation-footprint.repository';
import { RetentionRepository } from './retention.repository';
import { RecordingsRepositoriesModule } from '@rehearse/server/recordings';
import { ExportProcessor } from './export.processor';
import { TenantDestructionService } from './tenant-destruction.service';
import { RetentionSweeper } from './retention.sweeper';

const SERVICES = [Shredder, RetentionService, ErasureService, TenantDestructionService, ExportService, ExportBuilder];
/** The statements on privacy's own tables. */
const REPOSITORIES = [
  DataExportsRepository,
  DeletionReceiptsRepository,
  PersonFootprintRepository,
  OrganisationFootprintRepository,
  RetentionRepository,
];

/** The API side: the user's retention status and keep request, administrators' decisions, settings, receipts and erasure. */
@Module({
  imports: [QueueModule, RecordingsRepositoriesModule],
  providers: [...SERVICES, ...REPOSITORIES, MailProducer],
  exports: SERVICES,
})
export class PrivacyModule {}

/** The worker side: the retention sweep and the data export builder. */
@Module({
  imports: [QueueModule, RecordingsRepositoriesModule],
  providers: [...SERVICES, ...REPOSITORIES, RetentionSweeper, ExportProcessor, MailProducer],
  exports: SERVICES,
})
export class PrivacyWorkerModule {}

/** Only the export builder (the API tests' in-process worker). */
@Module({
  imports: [QueueModule, RecordingsRepositoriesModule],
  providers: [...SERVICES, ...REPOSITORIES, ExportProcessor, MailProducer],
  exports: SERVICES,
})
export class ExportWorkerModule {}
