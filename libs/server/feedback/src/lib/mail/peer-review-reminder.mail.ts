import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, Clock, longDate, translations } from '@rehearse/server/core';
import { UsersRepository } from '@rehearse/server/accounts';
import { LearningRepository } from '@rehearse/server/courses';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escapeHtml,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
} from '@rehearse/server/mail';
import { ReviewsRepository } from '../reviews.repository';
import { FEEDBACK_MAIL_TEXT } from './feedback-mail.texts';

const textIn = translations(FEEDBACK_MAIL_TEXT);

/**
 * Reminds a trainee of a peer review due within a day, with its due date; not once it is done or
 * lapsed, when its answer is hidden (its owner's licence ended), or when the reviewer can no longer
 * sign in.
 */
@Injectable()
@ComposesMail('peer-review-reminder')
export class PeerReviewReminderMail implements MailComposer<'peer-review-reminder'> {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly users: UsersRepository,
    private readonly learning: LearningRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ reviewId }: MailJobs['peer-review-reminder']): Promise<ComposedMail | null> {
    const r = await this.reviews.forMail(reviewId);
    if (!r || !r.reviewer_id || !r.due_at || (r.state !== 'assigned' && r.state !== 'draft')) return null;
    const to = await this.users.recipient(r.tenant_id, r.reviewer_id);
    if (!to || to.status !== 'active') return null;
    // the answer hidden since (its owner's licence ended): the link would lead nowhere
    const shown = await this.learning.answersToReview(r.tenant_id, [r.answer_id], this.clock.today());
    if (!shown.has(r.answer_id)) return null;
    const link = appLink(this.config.PUBLIC_URL, `/review/${r.answer_id}`);
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const date = longDate(to.locale, r.due_at);
    const body = t('reminder.body', { date });
    return {
      mail: {
        to: to.email,
        subject: t('reminder.subject', { date }),
        text: `${hello.text}\n\n${body}\n${link}\n`,
        html: `<p>${hello.html}</p><p>${escapeHtml(body)}</p><p><a href="${escapeHtml(link)}">${t('peer.link')}</a></p>`,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
