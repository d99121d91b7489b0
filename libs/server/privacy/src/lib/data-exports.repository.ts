import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rows, typed } from '@rehearse/server/database';

/**
 * The statements of privacy on `data_exports`. The worker's start-up sweep looks across
 * organisations (it builds them all), so `unfinished` takes no tenant: it answers ids only, and
 * each build loads its export with the export's own tenant.
 */
@Injectable()
export class DataExportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Exports queued or being built: those whose job a restart may have lost. */
  async unfinished(): Promise<string[]> {
    const found = await rows(
      this.db,
      typed.selectFrom('data_exports').select('id').where('state', 'in', ['queued', 'building']),
    );
    return found.map((r) => r.id);
  }
}
