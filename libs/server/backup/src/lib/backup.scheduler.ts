import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig, Clock, METRICS, type Metrics, Sweeper } from '@rehearse/server/core';
import { withAdvisoryLock } from '@rehearse/server/database';
import { BLOB_STORE, BlobStore } from '@rehearse/server/storage';
import { Backups } from './backup';

/**
 * The worker's daily backup: once a day after BACKUP_HOUR_UTC, under a PostgreSQL advisory lock so
 * two workers never run it twice; then backups older than BACKUP_KEEP_DAYS are pruned.
 */
@Injectable()
export class BackupScheduler extends Sweeper {
  readonly backups: Backups;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(BLOB_STORE) store: BlobStore,
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {
    super();
    this.backups = new Backups(config.BACKUP_DIR, config.DATABASE_URL, store);
  }

  protected readonly label = 'daily backup';

  protected everyMs(): number {
    return this.config.BACKUP_ENABLED ? 15 * 60_000 : 0;
  }

  /** whether the metrics page has the newest backup's time (read from the backups once) */
  private timed = false;

  protected async round(): Promise<void> {
    if (!this.timed) await this.timeNewest();
    await this.runIfDue();
  }

  /** Puts the newest verified backup's time on the metrics page (a process started after it knows it too). */
  async timeNewest(): Promise<void> {
    const newest = await this.backups.newest();
    if (newest) this.metrics.backupLastSuccess.set(Date.parse(newest.createdAt) / 1000);
    this.timed = true;
  }

  /** A failed backup is an error, not a warning, and counted on the metrics page. */
  protected override failed(e: Error): void {
    this.metrics.backupFailures.inc();
    this.logger.error(`${this.label} failed: ${e.message}`);
  }

  /** Takes today's backup when it is due and missing, then prunes; returns the day taken, or null. */
  async runIfDue(): Promise<string | null> {
    const now = this.clock.now();
    const today = this.clock.utcToday();
    if (now.getUTCHours() < this.config.BACKUP_HOUR_UTC || (await this.backups.manifest(today))?.verified) return null;
    return withAdvisoryLock(
      this.db,
      'daily-backup',
      async () => {
        const m = await this.backups.take(today, now);
        this.metrics.backupLastSuccess.set(now.getTime() / 1000);
        const pruned = await this.backups.prune(today, this.config.BACKUP_KEEP_DAYS);
        this.logger.log(
          `backup ${today}: ${Object.keys(m.database.tables).length} tables, ${m.objects.length} objects, verified${pruned.length ? `; pruned ${pruned.join(', ')}` : ''}`,
        );
        return today;
      },
      null,
    );
  }
}
