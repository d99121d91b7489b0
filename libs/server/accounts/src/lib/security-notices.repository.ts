import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SecurityNotice } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** A notice as its e-mail needs it. */
export interface SecurityNoticeRow {
  id: string;
  tenant_id: string | null;
  user_id: string;
  notice: SecurityNotice;
  email_change_id: string | null;
  mailed_at: Date | null;
}

/**
 * Every statement on `security_notices`: the notices that tell a person their password, address or
 * authenticator app changed, kept until the mail server has them. Each method takes the tenant first
 * (null for the operator's staff, who belong to none), except those of the worker, which read a
 * notice by its id or sweep every organisation.
 */
@Injectable()
export class SecurityNoticesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A notice of a change, in the change's own transaction: its id. */
  async insert(
    tenantId: string | null,
    notice: { userId: string; notice: SecurityNotice; emailChangeId?: string; at: Date },
    m: Queryable = this.db,
  ): Promise<string> {
    const [row] = await rows(
      m,
      typed
        .insertInto('security_notices')
        .values({
          tenant_id: tenantId,
          user_id: notice.userId,
          notice: notice.notice,
          email_change_id: notice.emailChangeId ?? null,
          created_at: notice.at,
        })
        .returning('id'),
    );
    return row.id;
  }

  /**
   * A notice as its mail job names it.
   * @withoutTenant a mail job names its root row by id alone; its tenant comes with it
   */
  async forMail(id: string): Promise<SecurityNoticeRow | undefined> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('security_notices')
        .select(['id', 'tenant_id', 'user_id', 'notice', 'email_change_id', 'mailed_at'])
        .where('id', '=', id),
    );
    return row as SecurityNoticeRow | undefined;
  }

  /**
   * The mail server has the notice (the first time counts).
   * @withoutTenant the e-mail names its notice by id alone
   */
  async markMailed(id: string, at: Date): Promise<void> {
    await run(
      this.db,
      typed.updateTable('security_notices').set({ mailed_at: at }).where('id', '=', id).where('mailed_at', 'is', null),
    );
  }

  /**
   * Forgets the notices sent before `before` (they tell of a change to the account: kept no
   * longer than needed). How many.
   * @withoutTenant the worker's sweep serves every organisation
   */
  async forgetSent(before: Date, m: Queryable = this.db): Promise<number> {
    const gone = await rows(m, typed.deleteFrom('security_notices').where('mailed_at', '<', before).returning('id'));
    return gone.length;
  }

  /**
   * Notices not sent yet, made before `madeBefore` (and within the week before it): the oldest
   * first, at most `limit`.
   * @withoutTenant the worker's sweep serves every organisation; each id names its own
   */
  async unsent(madeBefore: Date, limit: number, m: Queryable = this.db): Promise<SecurityNoticeRow[]> {
    // a notice its e-mail found nothing to send for (its change undone meanwhile) is tried for a week
    const madeAfter = new Date(madeBefore.getTime() - 7 * 86_400_000);
    return (await rows(
      m,
      typed
        .selectFrom('security_notices')
        .select(['id', 'tenant_id', 'user_id', 'notice', 'email_change_id', 'mailed_at'])
        .where('mailed_at', 'is', null)
        .where('created_at', '<', madeBefore)
        .where('created_at', '>', madeAfter)
        .orderBy('created_at')
        .limit(limit),
    )) as SecurityNoticeRow[];
  }
}
