import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The administrator's home page lists the organisation's participants in no group (issue 16). It
 * subtracted every group participant from every participant, one hashed set difference over
 * 19,590 rows at 10,000 people: the page grew with the organisation. Now each participant's
 * membership carries `in_group`, kept by triggers on group_members in the same transaction as the
 * change of a group's members (whichever code makes it: the group page, a deleted group or person,
 * erasure, a restore), and the participants in no group have an index of their own, so the page
 * reads only them.
 *
 * (accounts owns memberships, courses owns group_members: as with answers' `coach_reviewed`, kept
 * by a trigger on feedback's reviews, the database keeps the flag, so neither library writes the
 * other's table.)
 */
export class ParticipantsInGroup1764840000000 implements MigrationInterface {
  name = 'ParticipantsInGroup1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE memberships ADD COLUMN in_group boolean NOT NULL DEFAULT false`);
    // a participant is in a group while a group of their organisation has them as a participant
    await q.query(`
      CREATE FUNCTION participant_in_group(tenant uuid, person uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT EXISTS (SELECT 1 FROM group_members g WHERE g.user_id = person AND g.tenant_id = tenant AND g.role = 'participant')
      $$`);
    await q.query(
      `UPDATE memberships SET in_group = true WHERE role = 'participant' AND participant_in_group(tenant_id, user_id)`,
    );
    // after each statement on group_members, recomputed for the people of the rows it inserted,
    // changed or deleted, in one UPDATE that writes only the memberships whose flag changes
    await q.query(`
      CREATE FUNCTION memberships_keep_in_group() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        touched uuid[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(DISTINCT user_id) INTO touched FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT user_id) INTO touched FROM old_rows;
        ELSE
          SELECT array_agg(DISTINCT user_id) INTO touched
            FROM (SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows) t;
        END IF;
        UPDATE memberships m SET in_group = x.grouped
          FROM (SELECT id, participant_in_group(tenant_id, user_id) AS grouped FROM memberships
                 WHERE user_id = ANY (touched) AND role = 'participant') x
         WHERE m.id = x.id AND m.in_group IS DISTINCT FROM x.grouped;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER group_members_keep_in_group_insert AFTER INSERT ON group_members
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_in_group()`);
    await q.query(`CREATE TRIGGER group_members_keep_in_group_update AFTER UPDATE ON group_members
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_in_group()`);
    await q.query(`CREATE TRIGGER group_members_keep_in_group_delete AFTER DELETE ON group_members
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION memberships_keep_in_group()`);
    // a participant's membership made (or changed) after they joined groups: set from them
    await q.query(`
      CREATE FUNCTION memberships_set_in_group() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.in_group := NEW.role = 'participant' AND participant_in_group(NEW.tenant_id, NEW.user_id);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER memberships_set_in_group BEFORE INSERT OR UPDATE OF tenant_id, user_id, role ON memberships
      FOR EACH ROW EXECUTE FUNCTION memberships_set_in_group()`);
    await q.query(
      `CREATE INDEX memberships_without_group_idx ON memberships (tenant_id, user_id) WHERE role = 'participant' AND NOT in_group`,
    );
    // the planner's statistics of the new column at once, not at autovacuum's next visit
    await q.query(`ANALYZE memberships`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX memberships_without_group_idx`);
    await q.query(`DROP TRIGGER memberships_set_in_group ON memberships`);
    await q.query(`DROP FUNCTION memberships_set_in_group()`);
    for (const on of ['insert', 'update', 'delete'])
      await q.query(`DROP TRIGGER group_members_keep_in_group_${on} ON group_members`);
    await q.query(`DROP FUNCTION memberships_keep_in_group()`);
    await q.query(`DROP FUNCTION participant_in_group(uuid, uuid)`);
    await q.query(`ALTER TABLE memberships DROP COLUMN in_group`);
  }
}
