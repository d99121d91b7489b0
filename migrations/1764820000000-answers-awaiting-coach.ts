import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The coach's queue and home page (issue 16) read the answers that wait for a coach's review. They
 * used to reach every answer of the coach's people and drop, one by one, those with a published
 * coach review (2,000 answers and 2,000 lookups in reviews for a coach at 10,000 people). Now each
 * answer carries `coach_reviewed`, kept by a trigger on reviews in the same transaction as the
 * review itself (whichever code writes the review: publishing, erasure, a restore), and the answers
 * still waiting have an index of their own, read without visiting the table.
 */
export class AnswersAwaitingCoach1764820000000 implements MigrationInterface {
  name = 'AnswersAwaitingCoach1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE answers ADD COLUMN coach_reviewed boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE answers a SET coach_reviewed = true
        WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = a.id AND r.source = 'coach' AND r.state = 'published')`,
    );
    // an answer is coach-reviewed while it has a published coach review: after each statement on
    // reviews, recomputed for the answers of the rows it inserted, changed or deleted, in one
    // UPDATE that writes only the answers whose flag changes (a bulk insert of reviews is one join,
    // not one lookup per row)
    await q.query(`
      CREATE FUNCTION answers_keep_coach_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        touched uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT answer_id) INTO touched FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT answer_id) INTO touched FROM old_rows;
        ELSE
          SELECT array_agg(DISTINCT answer_id) INTO touched
            FROM (SELECT answer_id FROM new_rows UNION SELECT answer_id FROM old_rows) t;
        END IF;
        UPDATE answers a SET coach_reviewed = x.reviewed
          FROM (SELECT t.id, EXISTS (SELECT 1 FROM reviews r WHERE r.answer_id = t.id AND r.source = 'coach' AND r.state = 'published') AS reviewed
                  FROM unnest(touched) t(id)) x
         WHERE a.id = x.id AND a.coach_reviewed IS DISTINCT FROM x.reviewed;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER reviews_keep_answers_coach_reviewed_insert AFTER INSERT ON reviews
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION answers_keep_coach_reviewed()`);
    await q.query(`CREATE TRIGGER reviews_keep_answers_coach_reviewed_update AFTER UPDATE ON reviews
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION answers_keep_coach_reviewed()`);
    await q.query(`CREATE TRIGGER reviews_keep_answers_coach_reviewed_delete AFTER DELETE ON reviews
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION answers_keep_coach_reviewed()`);
    await q.query(
      `CREATE INDEX answers_awaiting_coach_idx ON answers (user_id, course_id, submitted_at)
         INCLUDE (id, tenant_id, course_version_id, exercise_id, attempt, answer_type) WHERE NOT coach_reviewed`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX answers_awaiting_coach_idx`);
    for (const on of ['insert', 'update', 'delete'])
      await q.query(`DROP TRIGGER reviews_keep_answers_coach_reviewed_${on} ON reviews`);
    await q.query(`DROP FUNCTION answers_keep_coach_reviewed()`);
    await q.query(`ALTER TABLE answers DROP COLUMN coach_reviewed`);
  }
}
