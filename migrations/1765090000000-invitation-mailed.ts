import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an invitation's link was e-mailed (the mail server took it), for the administrator's page
 * of an invited person: sent on a date, or not yet (it goes out by itself). Invitations already
 * sent (their sealed token forgotten) are taken to have gone when they were made.
 */
export class InvitationMailed1765090000000 implements MigrationInterface {
  name = 'InvitationMailed1765090000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitations ADD COLUMN mailed_at timestamptz`);
    await q.query(`UPDATE invitations SET mailed_at = created_at WHERE token_sealed IS NULL AND used_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitations DROP COLUMN mailed_at`);
  }
}
