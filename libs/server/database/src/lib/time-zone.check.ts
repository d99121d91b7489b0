import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

/**
 * At start-up: PostgreSQL knows the installation's time zone (TIME_ZONE), which the statements
 * that name a moment's day or month read it in (Clock.sqlTimeZone). Node.js carries its own copy
 * of the time-zone database and PostgreSQL reads the host's, so a zone one has and the other lacks
 * would otherwise fail those statements one by one; it stops the process instead, saying why.
 */
@Injectable()
export class DatabaseTimeZoneCheck implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const zone = this.config.TIME_ZONE;
    try {
      await this.db.query(`SELECT now() AT TIME ZONE $1`, [zone]);
    } catch (e) {
      if ((e as { code?: string }).code !== '22023') throw e; // invalid_parameter_value: an unknown zone
      throw new Error(
        `TIME_ZONE is "${zone}", which PostgreSQL does not know (${(e as Error).message}): choose a zone of both time-zone databases, or update the database host's tzdata`,
      );
    }
  }
}
