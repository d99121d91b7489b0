import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Repeating, repeatEvery } from '@rehearse/server/core';
import { ExportBuilder } from './export-builder';
import { RetentionService } from './retention.service';
import { TenantDestructionService } from './tenant-destruction.service';

/** Every hour: deletion notices and deletions after licence expiry, and tenants at the end of their agreement. */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionSweeper.name);
  private repeating: Repeating | null = null;

  constructor(
    private readonly retention: RetentionService,
    private readonly tenants: TenantDestructionService,
    private readonly exports: ExportBuilder,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = async () => {
      const r = await this.retention.sweep();
      if (r.notices || r.deleted)
        this.logger.log(`retention: ${r.notices} notice(s) sent, ${r.deleted} recording(s) deleted`);
      const expired = await this.exports.sweepExpired();
      if (expired) this.logger.log(`${expired} data export(s) expired`);
      const destroyed = await this.tenants.sweep();
      if (destroyed.length) this.logger.log(`end of agreement: ${destroyed.length} tenant(s) destroyed`);
    };
    const failed = (e: Error) => this.logger.warn(`retention sweep failed: ${e.message}`);
    this.repeating = repeatEvery(60 * 60_000, sweep, failed, { now: true });
  }

  async onModuleDestroy(): Promise<void> {
    await this.repeating?.stop();
  }
}
