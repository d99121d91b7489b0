import { MigrationInterface, QueryRunner } from 'typeorm';

/** The AI coach's report per answered recording, computed by the worker after transcription. */
export class AiReports1764100000000 implements MigrationInterface {
  name = 'AiReports1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ai_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        recording_id uuid NOT NULL UNIQUE REFERENCES recordings(id) ON DELETE CASCADE,
        report jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ai_reports_tenant_idx ON ai_reports (tenant_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ai_reports`);
  }
}
