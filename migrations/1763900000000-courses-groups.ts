import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courses are edited as a draft document and published as frozen versions; answers point at the
 * version they answered. Rubrics are a tenant library; publishing snapshots them into the version.
 */
export class CoursesGroups1763900000000 implements MigrationInterface {
  name = 'CoursesGroups1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rubrics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        criteria jsonb NOT NULL,
        revision int NOT NULL DEFAULT 1,
        archived_at timestamptz,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX rubrics_tenant_idx ON rubrics (tenant_id)`);
    await q.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        language varchar(10) NOT NULL,
        archived_at timestamptz,
        cover_type varchar(20),
        cover bytea,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((cover IS NULL) = (cover_type IS NULL))
      )`);
    await q.query(`CREATE INDEX courses_tenant_idx ON courses (tenant_id)`);
    await q.query(`
      CREATE TABLE course_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        version int NOT NULL,
        state varchar(12) NOT NULL CHECK (state IN ('draft','published','superseded')),
        content jsonb NOT NULL,
        revision int NOT NULL DEFAULT 1,
        change_summary text,
        published_at timestamptz,
        published_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, version)
      )`);
    await q.query(`CREATE INDEX course_versions_tenant_idx ON course_versions (tenant_id)`);
    // at most one draft and one published version per course
    await q.query(`CREATE UNIQUE INDEX course_versions_one_draft ON course_versions (course_id) WHERE state = 'draft'`);
    await q.query(
      `CREATE UNIQUE INDEX course_versions_one_published ON course_versions (course_id) WHERE state = 'published'`,
    );
    // a published or superseded version never changes again
    await q.query(`
      CREATE FUNCTION course_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.state <> 'draft' AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.version <> OLD.version) THEN
          RAISE EXCEPTION 'published course versions are frozen' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER course_versions_frozen BEFORE UPDATE ON course_versions FOR EACH ROW EXECUTE FUNCTION course_versions_frozen()`,
    );

    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, name)
      )`);
    await q.query(`CREATE INDEX groups_tenant_idx ON groups (tenant_id)`);
    await q.query(`
      CREATE TABLE group_members (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role varchar(12) NOT NULL CHECK (role IN ('participant','coach')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, user_id, role)
      )`);
    await q.query(`CREATE INDEX group_members_tenant_idx ON group_members (tenant_id)`);
    await q.query(`CREATE INDEX group_members_user_idx ON group_members (user_id)`);
    await q.query(`
      CREATE TABLE enrolments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        group_id uuid REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        coach_id uuid REFERENCES users(id) ON DELETE SET NULL,
        starts_on date,
        due_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((group_id IS NULL) <> (user_id IS NULL)),
        CHECK (due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX enrolments_tenant_idx ON enrolments (tenant_id)`);
    await q.query(`CREATE INDEX enrolments_course_idx ON enrolments (course_id)`);
    await q.query(
      `CREATE UNIQUE INDEX enrolments_group_once ON enrolments (course_id, group_id) WHERE group_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX enrolments_user_once ON enrolments (course_id, user_id) WHERE user_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE answers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        course_version_id uuid NOT NULL REFERENCES course_versions(id),
        exercise_id uuid NOT NULL,
        attempt int NOT NULL,
        answer_type varchar(8) NOT NULL CHECK (answer_type IN ('video','audio','text')),
        text_answer text,
        status varchar(20) NOT NULL DEFAULT 'submitted',
        submitted_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, course_id, exercise_id, attempt)
      )`);
    await q.query(`CREATE INDEX answers_tenant_idx ON answers (tenant_id)`);
    await q.query(`CREATE INDEX answers_user_idx ON answers (user_id, course_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE answers`);
    await q.query(`DROP TABLE enrolments`);
    await q.query(`DROP TABLE group_members`);
    await q.query(`DROP TABLE groups`);
    await q.query(`DROP TRIGGER course_versions_frozen ON course_versions`);
    await q.query(`DROP FUNCTION course_versions_frozen()`);
    await q.query(`DROP TABLE course_versions`);
    await q.query(`DROP TABLE courses`);
    await q.query(`DROP TABLE rubrics`);
  }
}
