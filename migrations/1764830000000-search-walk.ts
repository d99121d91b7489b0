import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A coach's transcript search walks their participants' answers from
 * `recordings_answers_of_owner_idx`; with the answer's id in the index too, each passage found
 * carries its recording, answer and owner from the walk, and the transcripts walked are not looked
 * up again in transcripts and recordings (EXPLAIN ANALYZE at 10,000 people, a common word: the
 * statement 10.9 → 9.6 ms median over 30 runs each, alternated: execution 9.5 → 8.4, planning 1.40 → 1.18; the same rows).
 */
export class SearchWalk1764830000000 implements MigrationInterface {
  name = 'SearchWalk1764830000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recordings_answers_of_owner_idx`);
    await q.query(
      `CREATE INDEX recordings_answers_of_owner_idx ON recordings (owner_id, course_id, created_at) INCLUDE (id, tenant_id, answer_id) WHERE purpose = 'answer'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX recordings_answers_of_owner_idx`);
    await q.query(
      `CREATE INDEX recordings_answers_of_owner_idx ON recordings (owner_id, course_id, created_at) INCLUDE (id, tenant_id) WHERE purpose = 'answer'`,
    );
  }
}
