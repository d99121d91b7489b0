import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the deletion notice for the licence's current due date was handed to the mail server. The
 * recordings wait for it: they go no sooner than the notice period after the notice went out, so
 * a notice lost with Redis, or refused by a mail server for longer than the queue's retries, delays
 * the deletion instead of being skipped. Notices marked before this are taken to have gone when
 * they were marked (as the deletion counted them until now).
 */
export class NoticeMailed1765060000000 implements MigrationInterface {
  name = 'NoticeMailed1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE licences ADD COLUMN notice_mailed_at timestamptz`);
    await q.query(`UPDATE licences SET notice_mailed_at = notice_sent_at WHERE notice_sent_for IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE licences DROP COLUMN notice_mailed_at`);
  }
}
