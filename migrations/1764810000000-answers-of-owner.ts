import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A coach's transcript search (issue 16) starts from the (participant, course) pairs they coach
 * and walks those participants' answers newest first: this index answers each pair from the index
 * alone (no visit to the recordings table, no answers of other courses filtered out), and the
 * transcript of an answer is looked up only for the answers walked. 32 → 17 ms for a common word
 * at 10,000 people.
 */
export class AnswersOfOwner1764810000000 implements MigrationInterface {
  name = 'AnswersOfOwner1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX recordings_answers_of_owner_idx ON recordings (owner_id, course_id, created_at) INCLUDE (id, tenant_id) WHERE purpose = 'answer'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recordings_answers_of_owner_idx`);
  }
}
