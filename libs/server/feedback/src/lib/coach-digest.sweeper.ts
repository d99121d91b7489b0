import { Inject, Injectable } from '@nestjs/common';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, Sweeper } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { CoachDigestsRepository } from './coach-digests.repository';

/** Coaches claimed (and their e-mails queued) per statement. */
const BATCH = 500;

/**
 * The coaches' morning e-mail: every quarter of an hour from COACH_DIGEST_HOUR (UTC) on, each
 * active coach who wants it and was not looked at yet that day is claimed (once a day, whatever
 * the number of worker processes) and gets a mail job; the job counts the answers waiting for
 * them when it is sent and sends nothing when none wait (CoachDigestMail).
 */
@Injectable()
export class CoachDigestSweeper extends Sweeper {
  constructor(
    private readonly people: PeopleDirectoryRepository,
    private readonly digests: CoachDigestsRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected readonly label = 'coach digest sweep';

  protected everyMs(): number {
    return this.config.COACH_DIGEST_HOUR === 'off' ? 0 : 15 * 60_000;
  }

  protected async round(): Promise<void> {
    const queued = await this.sweep();
    if (queued) this.logger.log(`${queued} coach digest(s) queued`);
  }

  /** One sweep: how many coaches' e-mails it queued (none before the hour, or when turned off). */
  async sweep(): Promise<number> {
    const hour = this.config.COACH_DIGEST_HOUR;
    if (hour === 'off' || this.clock.hour() < hour) return 0;
    const today = this.clock.today();
    const coaches = await this.people.activeCoaches();
    let queued = 0;
    for (let i = 0; i < coaches.length; i += BATCH) {
      for (const c of await this.digests.claim(today, coaches.slice(i, i + BATCH))) {
        try {
          await this.mail.send('coach-digest', { coachId: c.user_id }, `${c.user_id}:${today}`);
          queued++;
        } catch (e) {
          // not queued: looked at again by the next sweep
          this.logger.warn(`could not queue the digest of coach ${c.user_id}: ${(e as Error).message}`);
          await this.digests.release(c.tenant_id, c.user_id, today);
        }
      }
    }
    return queued;
  }
}
