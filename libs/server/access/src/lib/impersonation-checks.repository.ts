import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * What the access core asks of a session's impersonation on every request: whether the
 * superuser behind it may still act (active, still a superuser, the impersonation not ended
 * elsewhere), and ending it when it may not or its time is up. Impersonations belong to accounts;
 * the access core reads and ends them here only (docs/architecture.md, "Read by the access core").
 * An impersonation crosses organisations by nature, so these take its id, not a tenant.
 */
@Injectable()
export class ImpersonationChecksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Whether the impersonation is still running and its superuser is an active superuser.
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation
   */
  async stillAllowed(impersonationId: string, superuserId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM impersonations i JOIN users s ON s.id = i.superuser_id
        WHERE i.id = $1 AND i.superuser_id = $2 AND i.ended_at IS NULL AND s.status = 'active' AND s.is_superuser AND s.tenant_id IS NULL`,
      [impersonationId, superuserId],
    )) as unknown[];
    return rows.length === 1;
  }

  /**
   * Ends the impersonation at `at` (once: a second end changes nothing).
   * @withoutTenant an impersonation is its superuser's, who belongs to no organisation
   */
  async end(impersonationId: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE impersonations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [
      impersonationId,
      at,
    ]);
  }
}
