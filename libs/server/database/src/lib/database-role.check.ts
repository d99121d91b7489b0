import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

export interface DatabaseRole {
  role: string;
  superuser: boolean;
  /** the role owns (or is a member of the owner of) the schema's tables */
  ownsSchema: boolean;
}

/** Who the process is connected as, and whether that role could bypass the privacy log's guards. */
export async function databaseRole(db: DataSource): Promise<DatabaseRole> {
  const [r]: { role: string; superuser: boolean; owns: boolean | null }[] = await db.query(
    `SELECT current_user AS role, r.rolsuper AS superuser,
            (SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
              WHERE c.relname = 'privacy_log' AND c.relnamespace = 'public'::regnamespace) AS owns
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  return { role: r.role, superuser: r.superuser, ownsSchema: r.owns === true };
}

/**
 * At start-up: the API and the worker must not connect as the schema's owner or a superuser, or
 * the privacy log's append-only triggers could be disabled from the application. Production
 * refuses to start; development says so once.
 */
@Injectable()
export class DatabaseRoleCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const r = await databaseRole(this.db);
    if (!r.superuser && !r.ownsSchema) return;
    const message =
      `DATABASE_URL connects as "${r.role}", which ${r.superuser ? 'is a superuser' : 'owns the schema'}: ` +
      'it could switch off the privacy log\'s protection. Connect as a role that owns nothing (see "Database roles" in the README); migrations use DATABASE_OWNER_URL.';
    if (this.config.NODE_ENV === 'production') throw new Error(message);
    this.logger.warn(message);
  }
}
