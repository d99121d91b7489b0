import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trainee is reminded by e-mail, once per due date, that an unfinished course is due within
 * COURSE_DUE_REMINDER_DAYS (the worker's sweep). A row says the person's course and due date
 * was looked at (reminded, or no reminder needed: finished, or the person could not sign in), so
 * no sweep looks at it twice or sends a reminder twice; a due date moved is looked at again.
 */
export class CourseReminders1765030000000 implements MigrationInterface {
  name = 'CourseReminders1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE course_reminders (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        due_on date NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, course_id, due_on)
      )`);
    await q.query(`CREATE INDEX course_reminders_tenant_idx ON course_reminders (tenant_id)`);
    await q.query(`CREATE INDEX course_reminders_course_idx ON course_reminders (course_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE course_reminders`);
  }
}
