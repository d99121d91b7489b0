import { Injectable, Logger } from '@nestjs/common';
import type { MailJobs, SecurityNotice } from '@rehearse/shared/contracts';
import { Clock } from '@rehearse/server/core';
import type { Queryable } from '@rehearse/server/database';
import { MailProducer } from '@rehearse/server/mail';
import { SecurityNoticesRepository } from './security-notices.repository';

/** A notice recorded with its change, to be queued once that has committed. */
export interface PendingNotice {
  id: string;
  userId: string;
  notice: SecurityNotice;
  emailChangeId?: string;
}

/** The mail job of a recorded notice (queued after its change, or again by the sweep). */
export function securityNoticeJob(p: PendingNotice): MailJobs['security-notice'] {
  return {
    userId: p.userId,
    notice: p.notice,
    noticeId: p.id,
    ...(p.emailChangeId ? { emailChangeId: p.emailChangeId } : {}),
  };
}

/**
 * The notices that tell a person their password, address or authenticator app changed: recorded in
 * the change's own transaction, then queued. A notice Redis could not take (away, or restarted
 * without its data) stays recorded and the worker's sweep sends it (AccountMailSweeper), so the
 * change is neither refused after it was made nor left untold.
 */
@Injectable()
export class SecurityNotices {
  private readonly logger = new Logger(SecurityNotices.name);

  constructor(
    private readonly notices: SecurityNoticesRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
  ) {}

  /** Records the notice of a change (in `m`, the change's transaction where there is one). */
  async record(
    m: Queryable | undefined,
    tenantId: string | null,
    userId: string,
    notice: SecurityNotice,
    emailChangeId?: string,
  ): Promise<PendingNotice> {
    const id = await this.notices.insert(tenantId, { userId, notice, emailChangeId, at: this.clock.now() }, m);
    return { id, userId, notice, ...(emailChangeId ? { emailChangeId } : {}) };
  }

  /** Queues the notice's e-mail; never throws (what Redis could not take, the sweep sends). */
  async queue(p: PendingNotice): Promise<void> {
    await this.mail
      .send('security-notice', securityNoticeJob(p), p.id)
      .catch((e: Error) =>
        this.logger.warn(`could not queue the ${p.notice} notice now (${e.message}); the worker's sweep sends it`),
      );
  }
}
