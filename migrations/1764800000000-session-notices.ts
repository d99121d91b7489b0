import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices for the API's session cache (issue 16): every API process keeps the sessions it served
 * lately, with the person behind each, in memory, and forgets one the moment PostgreSQL says it
 * changed. Triggers send the notice (NOTIFY, delivered on commit) whoever writes: the application,
 * the worker, a sweep, an operator in psql.
 *
 * - `s:<sid>`: a session's data changed (signed in, a second factor, impersonation) or it was
 *   deleted (sign-out, "end all sessions", erasure, tenant destruction, expiry), or its expiry was
 *   brought forward. A touch, which only pushes the expiry back, sends nothing.
 * - `u:<user id>`: the person changed (status, roles, name, e-mail, profile, superuser) or is gone.
 * - `t:<tenant id>`: the organisation was renamed or is gone.
 * - `*`: a table was truncated: forget everything.
 */
export class SessionNotices1764800000000 implements MigrationInterface {
  name = 'SessionNotices1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION rehearse_session_notice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('rehearse_session_changes', '*');
        ELSIF TG_TABLE_NAME = 'sessions' THEN
          PERFORM pg_notify('rehearse_session_changes', 's:' || OLD.sid);
        ELSIF TG_TABLE_NAME = 'users' THEN
          PERFORM pg_notify('rehearse_session_changes', 'u:' || OLD.id);
        ELSIF TG_TABLE_NAME = 'memberships' THEN
          IF TG_OP <> 'INSERT' THEN
            PERFORM pg_notify('rehearse_session_changes', 'u:' || OLD.user_id);
          END IF;
          IF TG_OP <> 'DELETE' THEN
            PERFORM pg_notify('rehearse_session_changes', 'u:' || NEW.user_id);
          END IF;
        ELSIF TG_TABLE_NAME = 'tenants' THEN
          PERFORM pg_notify('rehearse_session_changes', 't:' || OLD.id);
        END IF;
        RETURN NULL;
      END $$`);
    // a session's data, or its expiry brought forward; not the touch that pushes it back (once a
    // minute per active session)
    await q.query(`
      CREATE TRIGGER sessions_notice_update AFTER UPDATE ON sessions FOR EACH ROW
      WHEN (OLD.sess::text IS DISTINCT FROM NEW.sess::text OR NEW.expire < OLD.expire)
      EXECUTE FUNCTION rehearse_session_notice()`);
    await q.query(`
      CREATE TRIGGER sessions_notice_delete AFTER DELETE ON sessions FOR EACH ROW
      EXECUTE FUNCTION rehearse_session_notice()`);
    await q.query(`
      CREATE TRIGGER users_notice AFTER UPDATE OR DELETE ON users FOR EACH ROW
      EXECUTE FUNCTION rehearse_session_notice()`);
    await q.query(`
      CREATE TRIGGER memberships_notice AFTER INSERT OR UPDATE OR DELETE ON memberships FOR EACH ROW
      EXECUTE FUNCTION rehearse_session_notice()`);
    await q.query(`
      CREATE TRIGGER tenants_notice_update AFTER UPDATE ON tenants FOR EACH ROW
      WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION rehearse_session_notice()`);
    await q.query(`
      CREATE TRIGGER tenants_notice_delete AFTER DELETE ON tenants FOR EACH ROW
      EXECUTE FUNCTION rehearse_session_notice()`);
    for (const table of ['sessions', 'users', 'memberships', 'tenants'])
      await q.query(`
        CREATE TRIGGER ${table}_notice_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT
        EXECUTE FUNCTION rehearse_session_notice()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'users', 'memberships', 'tenants'])
      await q.query(`DROP TRIGGER ${table}_notice_truncate ON ${table}`);
    await q.query(`DROP TRIGGER tenants_notice_delete ON tenants`);
    await q.query(`DROP TRIGGER tenants_notice_update ON tenants`);
    await q.query(`DROP TRIGGER memberships_notice ON memberships`);
    await q.query(`DROP TRIGGER users_notice ON users`);
    await q.query(`DROP TRIGGER sessions_notice_delete ON sessions`);
    await q.query(`DROP TRIGGER sessions_notice_update ON sessions`);
    await q.query(`DROP FUNCTION rehearse_session_notice()`);
  }
}
