import { Inject, Injectable } from '@nestjs/common';
import { type MailJobs, REVIEW_OVERDUE_DAYS } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, translations } from '@rehearse/server/core';
import { UsersRepository } from '@rehearse/server/accounts';
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
import { CoachDigestsRepository } from '../coach-digests.repository';
import { CoachQueueRepository } from '../coach-queue.repository';
import { FEEDBACK_MAIL_TEXT } from './feedback-mail.texts';

const textIn = translations(FEEDBACK_MAIL_TEXT);

/** The courses a digest names one by one; the rest are counted. */
export const DIGEST_COURSES = 10;

/**
 * A coach's morning e-mail: how many answers of their participants wait for their feedback, how
 * many of them longer than REVIEW_OVERDUE_DAYS, and how many in each course, with a link to the
 * queue. Counted when it is sent, with the queue's own statements (so what it says is what the
 * queue shows); nothing when none wait, the coach turned it off since, or can no longer sign in.
 * It names no participant, so it reads nobody's data and writes no privacy-log row.
 */
@Injectable()
@ComposesMail('coach-digest')
export class CoachDigestMail implements MailComposer<'coach-digest'> {
  constructor(
    private readonly users: UsersRepository,
    private readonly digests: CoachDigestsRepository,
    private readonly queue: CoachQueueRepository,
    private readonly clock: Clock,
    private readonly unsubscribe: UnsubscribeLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ coachId }: MailJobs['coach-digest']): Promise<ComposedMail | null> {
    const to = await this.users.recipient(undefined, coachId);
    if (!to || !to.tenant_id || to.status !== 'active') return null;
    const tenantId = to.tenant_id;
    if (!(await this.digests.enabled(tenantId, coachId))) return null;
    const today = this.clock.today();
    const overdueBefore = new Date(this.clock.now().getTime() - REVIEW_OVERDUE_DAYS * 86_400_000);
    const [first] = await this.queue.waiting(tenantId, coachId, today, overdueBefore, { limit: 1, offset: 0 });
    if (!first) return null;
    const courses = await this.queue.waitingByCourse(tenantId, coachId, today);
    const { total, overdue } = first;

    const t = textIn(to.locale);
    const days = REVIEW_OVERDUE_DAYS;
    const sentences = [t('digest.waiting', { count: total })];
    if (overdue > 0)
      sentences.push(
        overdue < total
          ? t('digest.overdueSome', { count: overdue, days })
          : total === 1
            ? t('digest.overdueIt', { days })
            : t('digest.overdueAll', { days }),
      );
    const named = courses.slice(0, DIGEST_COURSES).map((c) => `${c.course_title}: ${c.waiting}`);
    const more = courses.length - named.length;
    const queueLink = appLink(this.config.PUBLIC_URL, '/coaching/reviews');
    const stop = this.unsubscribe.footer(to.locale, coachId, 'coach_digest');
    const hello = greeting(to.locale, to.name);
    const lines = [...named, ...(more > 0 ? [t('digest.moreCourses', { count: more })] : [])];
    return {
      mail: {
        to: to.email,
        subject: t('digest.subject', { count: total }),
        text: [
          `${hello.text}\n`,
          `${sentences.join(' ')}\n`,
          `${t('digest.byCourse')}\n${lines.map((l) => `- ${l}`).join('\n')}\n`,
          `${t('digest.link')}: ${queueLink}\n`,
          `${t('digest.why')}\n${stop.text}`,
        ].join('\n'),
        html: [
          `<p>${hello.html}</p>`,
          `<p>${escapeHtml(sentences.join(' '))}</p>`,
          `<p>${escapeHtml(t('digest.byCourse'))}</p>`,
          `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
          `<p><a href="${escapeHtml(queueLink)}">${escapeHtml(t('digest.link'))}</a></p>`,
          `<p>${escapeHtml(t('digest.why'))}</p>${stop.html}`,
        ].join(''),
        // mail programs offer it as an "unsubscribe" button, which stops it with one POST (RFC 8058)
        list: stop.list,
        headers: stop.headers,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
