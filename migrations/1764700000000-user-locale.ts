import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each person's language (issue 17): the web app, their e-mails and the AI coach's explanations
 * follow it. NULL until they choose or first sign in (then their browser's language is taken);
 * an invitation starts in the inviting administrator's language.
 */
export class UserLocale1764700000000 implements MigrationInterface {
  name = 'UserLocale1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN locale text CHECK (locale IN ('en', 'nl'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN locale`);
  }
}
