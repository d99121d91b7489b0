import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One round trip for a privacy-log append instead of three (the writer's lock, its chain's last
 * hash, the rows). The rows' links are HMACs keyed by a secret that never reaches the database,
 * so the application computes them from the hash it expects to follow (the one it wrote last);
 * `privacy_log_append` takes the writer's lock, reads the chain's real last hash in a snapshot
 * taken after the lock (each statement of a plpgsql function takes its own under READ COMMITTED),
 * and inserts the rows only when the first one links to it. Otherwise it inserts nothing and
 * answers the real last hash, and the application links its rows to that one and appends again
 * (still holding the lock, so the second append cannot miss). No fork of a chain is possible
 * whatever the application remembers: a wrong guess costs one more round trip.
 *
 * The lock is the same as the application's own before (pg_advisory_xact_lock of
 * hashtext('privacy_log:<tenant or platform>:<actor>')), so processes of the previous release that
 * still run during a rolling deploy and this one's take turns on the same chains.
 */
export class PrivacyLogAppend1764850000000 implements MigrationInterface {
  name = 'PrivacyLogAppend1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION privacy_log_append(
        p_tenant uuid, p_actor uuid, p_role text, p_impersonator uuid, p_at timestamptz, p_version smallint,
        p_subject uuid[], p_object_type text[], p_object_id text[], p_action text[], p_prev text[], p_hash text[]
      ) RETURNS text
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        head text;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('privacy_log:' || coalesce(p_tenant::text, 'platform') || ':' || p_actor::text));
        IF p_tenant IS NULL THEN
          SELECT l.hash INTO head FROM public.privacy_log l
           WHERE l.tenant_id IS NULL AND l.actor_id = p_actor ORDER BY l.id DESC LIMIT 1;
        ELSE
          SELECT l.hash INTO head FROM public.privacy_log l
           WHERE l.tenant_id = p_tenant AND l.actor_id = p_actor ORDER BY l.id DESC LIMIT 1;
        END IF;
        head := coalesce(head, repeat('0', 64));
        -- no rows, or rows that do not follow the chain's last one: nothing written, the last hash answered
        IF coalesce(array_length(p_prev, 1), 0) = 0 OR p_prev[1] IS DISTINCT FROM head THEN
          RETURN head;
        END IF;
        INSERT INTO public.privacy_log (tenant_id, actor_id, actor_role, subject_id, object_type, object_id, action,
                                        impersonator_id, at, prev_hash, hash, chain_version)
        SELECT p_tenant, p_actor, p_role, x.subject, x.object_type, x.object_id, x.action, p_impersonator, p_at,
               x.prev, x.hash, p_version
          FROM unnest(p_subject, p_object_type, p_object_id, p_action, p_prev, p_hash)
               WITH ORDINALITY AS x(subject, object_type, object_id, action, prev, hash, n)
         ORDER BY x.n;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION privacy_log_append(uuid, uuid, text, uuid, timestamptz, smallint, uuid[], text[], text[], text[], text[], text[])`,
    );
  }
}
