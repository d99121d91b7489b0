import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeopleDirectoryRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, repeatEvery } from '@rehearse/server/core';
import { MailProducer } from '@rehearse/server/mail';
import { type CourseDue, CourseRemindersRepository } from './course-reminders.repository';
import { CourseProgress } from './course-progress';

const DAY_MS = 86_400_000;
/** Reminders claimed (and their e-mails queued) per statement. */
const BATCH = 500;

/**
 * Reminders of courses due soon: every quarter of an hour, each participant whose unfinished
 * course is due within COURSE_DUE_REMINDER_DAYS (today included) is reminded by e-mail, once per
 * due date — if they can sign in and their licence runs. Claimed in PostgreSQL
 * (`course_reminders`), so several worker processes send one reminder; the e-mail checks again
 * when it is sent (CourseDueSoonMail).
 */
@Injectable()
export class CourseDueSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CourseDueSweeper.name);
  private stop: (() => void) | null = null;

  constructor(
    private readonly reminders: CourseRemindersRepository,
    private readonly progress: CourseProgress,
    private readonly people: PeopleDirectoryRepository,
    private readonly mail: MailProducer,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.COURSE_DUE_REMINDER_DAYS) return;
    const failed = (e: Error) => this.logger.warn(`course reminder sweep failed: ${e.message}`);
    const sweep = async () => {
      const queued = await this.sweep();
      if (queued) this.logger.log(`${queued} course reminder(s) queued`);
    };
    void sweep().catch(failed);
    this.stop = repeatEvery(15 * 60_000, sweep, failed);
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  /** One sweep: how many reminders it queued. */
  async sweep(): Promise<number> {
    const days = this.config.COURSE_DUE_REMINDER_DAYS;
    if (!days) return 0;
    const today = this.clock.today();
    const until = new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
    const wanted: CourseDue[] = [];
    const byTenant = new Map<string, CourseDue[]>();
    for (const d of await this.reminders.dueWithin(today, until))
      byTenant.set(d.tenant_id, [...(byTenant.get(d.tenant_id) ?? []), d]);
    for (const [tenantId, due] of byTenant) {
      const active = await this.people.active(
        tenantId,
        due.map((d) => d.user_id),
      );
      for (const d of due) {
        if (!active.has(d.user_id)) continue;
        if (await this.people.licenceEndedOn(tenantId, d.user_id, today)) continue;
        const p = await this.progress.of(tenantId, d.user_id, d.course_id);
        if (p && p.dueOn === d.due_on && p.answered < p.total) wanted.push(d);
      }
    }
    let queued = 0;
    for (let i = 0; i < wanted.length; i += BATCH) {
      for (const d of await this.reminders.claim(wanted.slice(i, i + BATCH))) {
        try {
          await this.mail.send(
            'course-due-soon',
            { userId: d.user_id, courseId: d.course_id, dueOn: d.due_on },
            `${d.user_id}:${d.course_id}:${d.due_on}`,
          );
          queued++;
        } catch (e) {
          // not queued: tried again by the next sweep
          this.logger.warn(`could not queue the reminder of course ${d.course_id}: ${(e as Error).message}`);
          await this.reminders.release(d.tenant_id, d);
        }
      }
    }
    return queued;
  }
}
