import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@rehearse/server/core';
import { withAdvisoryLock } from '@rehearse/server/database';
import { type KeptMail, MailOutbox, MailProducer } from '@rehearse/server/mail';
import { LicenceLifecycleRepository } from '@rehearse/server/accounts';
import { RecordingsFootprintRepository } from '@rehearse/server/recordings';
import { type Lifecycle, withRecordings } from './licence-lifecycles';
import { Shredder } from './shredder';

/**
 * What follows an expired licence, run by the worker's hourly sweep (RetentionSweeper): the notice
 * `noticeDays` before the deletion, once per due date, and the deletion of the person's recordings
 * when it is due (unless a keep request holds it: RetentionService), verified and receipted, and
 * the person told.
 */
@Injectable()
export class LicenceExpiryDeletions {
  private readonly logger = new Logger(LicenceExpiryDeletions.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shredder: Shredder,
    private readonly mail: MailProducer,
    private readonly outbox: MailOutbox,
    private readonly clock: Clock,
    private readonly retention: LicenceLifecycleRepository,
    private readonly recordings: RecordingsFootprintRepository,
  ) {}

  /**
   * The scheduled run (worker, hourly; one worker at a time): sends each notice once per due date,
   * then deletes the recordings that are due. Returns what it did.
   */
  async sweep(): Promise<{ notices: number; deleted: number }> {
    const today = this.clock.today();
    return withAdvisoryLock(
      this.db,
      'retention-sweep',
      async () => {
        // expired licences of people who still have recordings, whose notice period has begun
        const due = await withRecordings(this.recordings, await this.retention.dueForNotice(today), true);
        let notices = 0;
        let deleted = 0;
        for (const row of due) {
          // once per due date; a notice that goes late (a licence dated far back) also delays the deletion by the notice period
          if (row.notice_sent_for === row.due_on || !(await this.markNoticed(row))) continue;
          notices += 1;
          await this.mail
            .send('retention-notice', { userId: row.user_id, dueOn: row.due_on }, `${row.user_id}:${row.due_on}`)
            .catch((e: Error) =>
              this.logger.warn(`could not queue the deletion notice for ${row.user_id}: ${e.message}`),
            );
        }
        // a notice decided but not gone out (its job lost with Redis, never queued, or given up on
        // by the queue while the mail server refused) is queued again; the deletion waits for it
        const unmailed = await this.retention.noticesUnmailed(today);
        let resent = 0;
        for (const row of unmailed)
          if (
            await this.mail
              .sendAgain('retention-notice', { userId: row.user_id, dueOn: row.due_on }, `${row.user_id}:${row.due_on}`)
              .catch((e: Error) => {
                this.logger.warn(`could not queue the deletion notice for ${row.user_id} again: ${e.message}`);
                return false;
              })
          )
            resent += 1;
        if (resent) this.logger.warn(`${resent} deletion notice(s) not sent yet queued again; their deletions wait`);
        const ready = await withRecordings(this.recordings, await this.retention.readyForDeletion(today), true);
        for (const row of ready) {
          // the licence locked and asked again in the deletion's transaction: extended, or a keep
          // request made or granted since the list above was read, it is not deleted
          const shredded = await this.shredder.shredRecordingsOf(row.tenant_id, row.user_id, (m) =>
            this.retention.lockReadyForDeletion(row.tenant_id, row.user_id, today, m),
          );
          if (!shredded) continue;
          await this.retention.markMediaDeleted(row.tenant_id, row.user_id, this.clock.now());
          const receiptId = await this.shredder.receipt('licence_expiry', row.tenant_id, row.user_id, shredded);
          deleted += shredded.counts['recordings'] ?? 0;
          // the person is told, with where the receipt is (kept until sent: the sweep sends it if Redis loses the job)
          const told: KeptMail<'recordings-deleted'> = {
            name: 'recordings-deleted',
            payload: { userId: row.user_id, receiptId },
            key: `${row.user_id}:${receiptId}`,
            userId: row.user_id,
          };
          await this.outbox.keep(row.tenant_id, [told], this.clock.now());
          await this.outbox.queue([told]);
        }
        return { notices, deleted };
      },
      { notices: 0, deleted: 0 },
    );
  }

  /** Records that the notice for this due date went; false when another run already did. */
  private async markNoticed(row: Lifecycle): Promise<boolean> {
    return this.retention.markNoticed(row.tenant_id, row.user_id, row.due_on, this.clock.now());
  }
}
