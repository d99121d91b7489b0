import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rows, typed } from '@rehearse/server/database';

/**
 * The statements of privacy on `deletion_receipts`: the record that someone's (or an
 * organisation's) data was shredded, with what went and whether the store confirmed it.
 */
@Injectable()
export class DeletionReceiptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A new receipt (`tenantId` null: an organisation destroyed, its id the subject); its id. */
  async insert(
    tenantId: string | null,
    r: {
      kind: string;
      subjectId: string;
      requestedBy: string | null;
      reason: string | null;
      at: Date;
      verified: boolean;
      counts: unknown;
      objects: unknown;
    },
  ): Promise<string> {
    const [row] = await rows(
      this.db,
      typed
        .insertInto('deletion_receipts')
        .values({
          tenant_id: tenantId,
          kind: r.kind,
          subject_id: r.subjectId,
          requested_by: r.requestedBy,
          reason: r.reason,
          created_at: r.at,
          verified: r.verified,
          counts: JSON.stringify(r.counts),
          objects: JSON.stringify(r.objects),
        })
        .returning('id'),
    );
    return row.id;
  }
}
