import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { MailPreferencesRepository, PeopleDirectoryRepository, UsersRepository } from '@rehearse/server/accounts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escapeHtml,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
  UnsubscribeLinks,
} from '@rehearse/server/mail';
import { CourseProgress } from '../course-progress';
import { COURSE_MAIL_TEXT } from './course-mail.texts';

const textIn = translations(COURSE_MAIL_TEXT);

/**
 * Reminds a trainee that a course they have not finished is due: how many of its exercises they
 * answered, the due date, a link to the course. Nothing once they finished it, its due date moved,
 * they are no longer enrolled, their licence ended, or they can no longer sign in.
 */
@Injectable()
@ComposesMail('course-due-soon')
export class CourseDueSoonMail implements MailComposer<'course-due-soon'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly people: PeopleDirectoryRepository,
    private readonly preferences: MailPreferencesRepository,
    private readonly progress: CourseProgress,
    private readonly clock: Clock,
    private readonly unsubscribe: UnsubscribeLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ userId, courseId, dueOn }: MailJobs['course-due-soon']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, userId);
    if (!to || !to.tenant_id || to.status !== 'active') return null;
    if (await this.people.licenceEndedOn(to.tenant_id, userId, this.clock.today())) return null;
    if (!(await this.preferences.wants(to.tenant_id, userId, 'course_due'))) return null;
    const p = await this.progress.of(to.tenant_id, userId, courseId);
    if (!p || p.dueOn !== dueOn || p.answered >= p.total) return null;
    const t = textIn(to.locale);
    const date = longDate(to.locale, dueOn);
    const body = t('due.body', { answered: p.answered, total: p.total, title: p.title, date });
    const link = appLink(this.config.PUBLIC_URL, `/learn/${courseId}`);
    const hello = greeting(to.locale, to.name);
    const stop = this.unsubscribe.footer(to.locale, userId, 'course_due');
    return {
      mail: {
        to: to.email,
        subject: t('due.subject', { title: p.title, date }),
        text: `${hello.text}\n\n${body}\n${t('due.link')}: ${link}\n${stop.text}`,
        html: `<p>${hello.html}</p><p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(t('due.link'))}</a></p>${stop.html}`,
        list: stop.list,
        headers: stop.headers,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
