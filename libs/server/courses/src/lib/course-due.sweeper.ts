import { Inject, Injectable } from '@nestjs/common';
import { MailPreferencesRepository, PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, Sweeper } from '@rehearse/server/core';
import { MailOutbox } from '@rehearse/server/mail';
import { type CourseDue, CourseRemindersRepository } from './course-reminders.repository';

const DAY_MS = 86_400_000;
/** Reminders claimed (and their e-mails queued) per statement. */
const BATCH = 500;

/**
 * Reminders of courses due soon: every quarter of an hour, each participant whose unfinished
 * course is due within COURSE_DUE_REMINDER_DAYS (today included) is reminded by e-mail, once per
 * due date — if they can sign in, their licence runs and they did not turn these reminders off
 * (checked again by each sweep until the due date, so turning them on again brings the reminder).
 * Claimed in PostgreSQL (`course_reminders`), so several worker processes send one reminder, and
 * the e-mail kept until sent (MailOutbox: one Redis loses is sent all the same); the e-mail checks
 * again when it is sent (CourseDueSoonMail), with CourseProgress.
 */
@Injectable()
export class CourseDueSweeper extends Sweeper {
  constructor(
    private readonly reminders: CourseRemindersRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly preferences: MailPreferencesRepository,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected readonly label = 'course reminder sweep';

  protected everyMs(): number {
    return this.config.COURSE_DUE_REMINDER_DAYS ? 15 * 60_000 : 0;
  }

  protected async round(): Promise<void> {
    const queued = await this.sweep();
    if (queued) this.logger.log(`${queued} course reminder(s) queued`);
  }

  /**
   * One sweep: how many reminders it queued. Each person's course and due date is claimed first,
   * then the claimed are checked a batch at a time (one statement per organisation or course, not
   * per person): the course unfinished, and the person able to sign in, with a licence that runs
   * and these reminders on. A finished course stays claimed, so it is looked at once (not every
   * quarter of an hour while it stays in the window); a person who cannot receive the reminder now
   * is released, looked at again by the next sweep, and reminded should that change before the
   * due date (reminders turned on again, an invitation accepted, a licence renewed).
   */
  async sweep(): Promise<number> {
    const days = this.config.COURSE_DUE_REMINDER_DAYS;
    if (!days) return 0;
    const today = this.clock.today();
    const until = new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
    const due = await this.reminders.dueWithin(today, until);
    let queued = 0;
    for (let i = 0; i < due.length; i += BATCH)
      for (const [tenantId, claimed] of byKey(
        await this.reminders.claim(due.slice(i, i + BATCH)),
        (d) => d.tenant_id,
      )) {
        const ids = claimed.map((d) => d.user_id);
        const active = await this.people.active(tenantId, ids);
        const ended = await this.people.licencesEnded(tenantId, ids, today);
        const stopped = await this.preferences.stoppedAmong(tenantId, ids, 'course_due');
        const notNow = claimed.filter((d) => !active.has(d.user_id) || ended.has(d.user_id) || stopped.has(d.user_id));
        await this.reminders.release(tenantId, notNow);
        for (const [courseId, ofCourse] of byKey(
          claimed.filter((d) => !notNow.includes(d)),
          (d) => d.course_id,
        )) {
          const { total, answered } = await this.reminders.progressOf(
            tenantId,
            courseId,
            ofCourse.map((d) => d.user_id),
          );
          for (const d of ofCourse) {
            if ((answered.get(d.user_id) ?? 0) >= total) continue;
            if (await this.queue(d)) queued++;
          }
        }
      }
    return queued;
  }

  /** Keeps the reminder's e-mail until sent, then queues it: whether Redis took it (if not, the mail sweep sends it). */
  private async queue(d: CourseDue): Promise<boolean> {
    const reminder = {
      name: 'course-due-soon' as const,
      payload: { userId: d.user_id, courseId: d.course_id, dueOn: d.due_on },
      key: `${d.user_id}:${d.course_id}:${d.due_on}`,
      userId: d.user_id,
    };
    try {
      await this.mail.keep(d.tenant_id, [reminder], this.clock.now());
    } catch (e) {
      // not kept: released, looked at again by the next sweep (the others of the batch go on)
      this.logger.warn(`could not keep the reminder of course ${d.course_id}: ${(e as Error).message}`);
      await this.reminders.release(d.tenant_id, [d]).catch(() => undefined);
      return false;
    }
    return (await this.mail.queue([reminder])) === 1;
  }
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
