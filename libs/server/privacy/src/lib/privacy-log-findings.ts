import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PrivacyLogChecks } from '@rehearse/server/access';
import { AccountActivity } from '@rehearse/server/accounts';
import { PrivacyLogWitness } from './privacy-log-witness';

/** Why a finding could not be accepted. */
export class NothingToAccept extends Error {}

/**
 * The operator's answer to a finding of the nightly check (a privacy log changed or cut short
 * outside Rehearse), once looked into: the log is accepted as it is (an entry found changed taken
 * as it is from then on, the log's checks forgotten, so the next one takes it so), with a reason,
 * on the organisation's account activity in the same transaction. The organisation sees that, when and why; the operator cannot do it silently.
 */
@Injectable()
export class PrivacyLogFindings {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly checks: PrivacyLogChecks,
    private readonly activity: AccountActivity,
    private readonly witness: PrivacyLogWitness,
  ) {}

  /** Accepts the log of the organisation (null: the operator's own) as it is; refused without a finding. */
  async accept(tenantId: string | null, reason: string): Promise<void> {
    if (reason.trim().length < 10) throw new NothingToAccept('give a reason of at least 10 characters');
    if (!(await this.checks.latest()).some((c) => c.tenantId === tenantId && c.broken))
      throw new NothingToAccept('its last check found nothing to accept');
    // the witness outside the database first takes the log as it is (else it would find the same
    // entries gone again); should the acceptance then fail, the recorded finding still stands
    await this.witness.take({ tenantId });
    await this.db.transaction(async (m) => {
      const last = await this.checks.acceptFinding(tenantId, m);
      if (!last?.brokenAtId) throw new NothingToAccept('its last check found nothing to accept');
      if (tenantId)
        await this.activity.recordByOperator(m, tenantId, [
          {
            action: 'organisation.privacy_log_accepted',
            subjectId: null,
            details: { reason: reason.trim(), brokenAtId: last.brokenAtId },
          },
        ]);
    });
  }
}
