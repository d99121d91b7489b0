import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recordings (answers and prompt media) stored encrypted, their transcripts with word timings,
 * and a tenant-scoped full-text index over transcript passages.
 */
export class Recordings1764000000000 implements MigrationInterface {
  name = 'Recordings1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recordings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        owner_id uuid REFERENCES users(id) ON DELETE CASCADE,
        purpose varchar(8) NOT NULL CHECK (purpose IN ('answer','prompt')),
        answer_id uuid UNIQUE REFERENCES answers(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        exercise_id uuid,
        object_key varchar(300) NOT NULL UNIQUE,
        envelope jsonb NOT NULL,
        container varchar(8) NOT NULL,
        content_type varchar(40) NOT NULL,
        size_bytes bigint NOT NULL,
        duration_seconds real,
        has_video boolean NOT NULL,
        original_name varchar(200),
        status varchar(16) NOT NULL CHECK (status IN ('queued','probing','extracting','transcribing','indexing','transcribed','failed','ready')),
        failure varchar(24),
        failure_message text,
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        transcribed_at timestamptz,
        CHECK ((purpose = 'answer') = (answer_id IS NOT NULL)),
        CHECK (purpose = 'prompt' OR exercise_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX recordings_tenant_idx ON recordings (tenant_id)`);
    await q.query(`CREATE INDEX recordings_owner_idx ON recordings (owner_id)`);
    // the sweep looks for unfinished work
    await q.query(
      `CREATE INDEX recordings_pending_idx ON recordings (updated_at) WHERE status NOT IN ('transcribed','failed','ready')`,
    );

    await q.query(`
      CREATE TABLE transcripts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        recording_id uuid NOT NULL UNIQUE REFERENCES recordings(id) ON DELETE CASCADE,
        engine varchar(40) NOT NULL,
        model varchar(80) NOT NULL,
        language varchar(10) NOT NULL,
        text text NOT NULL,
        no_speech boolean NOT NULL,
        audio_seconds real NOT NULL,
        processing_ms int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX transcripts_tenant_idx ON transcripts (tenant_id)`);
    await q.query(`
      CREATE TABLE transcript_segments (
        transcript_id uuid NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx int NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        start_s real NOT NULL,
        end_s real NOT NULL,
        text text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
        PRIMARY KEY (transcript_id, idx)
      )`);
    await q.query(`CREATE INDEX transcript_segments_tenant_idx ON transcript_segments (tenant_id)`);
    await q.query(`CREATE INDEX transcript_segments_tsv_idx ON transcript_segments USING gin (tsv)`);
    await q.query(`
      CREATE TABLE transcript_words (
        transcript_id uuid NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        idx int NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        start_s real NOT NULL,
        end_s real NOT NULL,
        text varchar(200) NOT NULL,
        confidence real,
        PRIMARY KEY (transcript_id, idx)
      )`);
    await q.query(`CREATE INDEX transcript_words_tenant_idx ON transcript_words (tenant_id)`);
    // repeated reads of one object by one person are logged once per window: find the last one fast
    await q.query(`CREATE INDEX privacy_log_actor_object_idx ON privacy_log (actor_id, object_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX privacy_log_actor_object_idx`);
    await q.query(`DROP TABLE transcript_words`);
    await q.query(`DROP TABLE transcript_segments`);
    await q.query(`DROP TABLE transcripts`);
    await q.query(`DROP TABLE recordings`);
  }
}
