import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MailJobName, MailJobs } from '@rehearse/shared/contracts';
import { type Queryable, rows, run, typed } from '@rehearse/server/database';

/** An e-mail kept until sent: its job (name, payload, the key its job id is made of) and to whom. */
export interface KeptMail<N extends MailJobName = MailJobName> {
  name: N;
  payload: MailJobs[N];
  /** the job's id without its name (`feedback-published:<key>`): one e-mail per key */
  key: string;
  /** the recipient (their e-mails go with them) */
  userId: string;
}

/** A kept e-mail the sweep queues again. */
export interface UnsentMail {
  name: MailJobName;
  payload: MailJobs[MailJobName];
  key: string;
}

/**
 * Every statement on `mail_outbox`: the e-mails kept in PostgreSQL until the mail server has them
 * (MailOutbox). Written in the caller's transaction with the tenant first; the worker removes one
 * by its job's identity once sent, and its sweep reads every organisation's.
 */
@Injectable()
export class MailOutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Keeps the e-mails (one per name and key: one kept before stays as it is). */
  async keep(tenantId: string, mails: readonly KeptMail[], at: Date, m: Queryable = this.db): Promise<void> {
    if (!mails.length) return;
    await run(
      m,
      typed
        .insertInto('mail_outbox')
        .values(
          mails.map((mail) => ({
            tenant_id: tenantId,
            user_id: mail.userId,
            job_name: mail.name,
            job_key: mail.key,
            payload: JSON.stringify(mail.payload),
            created_at: at,
          })),
        )
        .onConflict((c) => c.columns(['job_name', 'job_key']).doNothing()),
    );
  }

  /**
   * Whether the e-mail is still to be sent (kept, not sent yet).
   * @withoutTenant a mail job names its e-mail by the job's identity alone
   */
  async pending(name: MailJobName, key: string): Promise<boolean> {
    const found = await rows(
      this.db,
      typed.selectFrom('mail_outbox').select('id').where('job_name', '=', name).where('job_key', '=', key),
    );
    return found.length > 0;
  }

  /**
   * The e-mail was sent, or has nothing left to say: forgotten.
   * @withoutTenant a mail job names its e-mail by the job's identity alone
   */
  async settle(name: MailJobName, key: string): Promise<void> {
    await run(this.db, typed.deleteFrom('mail_outbox').where('job_name', '=', name).where('job_key', '=', key));
  }

  /**
   * The e-mails kept since before `madeBefore` and after `madeAfter`, the oldest first, at most `limit`.
   * @withoutTenant the worker's sweep serves every organisation; each job names its own
   */
  async unsent(madeBefore: Date, madeAfter: Date, limit: number): Promise<UnsentMail[]> {
    const found = await rows(
      this.db,
      typed
        .selectFrom('mail_outbox')
        .select(['job_name', 'job_key', 'payload'])
        .where('created_at', '<', madeBefore)
        .where('created_at', '>', madeAfter)
        .orderBy('created_at')
        .limit(limit),
    );
    return found.map((r) => ({
      name: r.job_name as MailJobName,
      key: r.job_key,
      payload: r.payload as unknown as MailJobs[MailJobName],
    }));
  }

  /**
   * How many e-mails kept since before `madeBefore` are still unsent.
   * @withoutTenant the worker's sweep serves every organisation
   */
  async unsentCount(madeBefore: Date): Promise<number> {
    const [row] = await rows(
      this.db,
      typed
        .selectFrom('mail_outbox')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('created_at', '<', madeBefore),
    );
    return Number(row.n);
  }

  /**
   * Gives up on the e-mails kept since before `before` (unsent for a week: what they tell of is
   * old news). How many.
   * @withoutTenant the worker's sweep serves every organisation
   */
  async forgetOlder(before: Date): Promise<number> {
    return (await run(this.db, typed.deleteFrom('mail_outbox').where('created_at', '<', before))).count;
  }
}
