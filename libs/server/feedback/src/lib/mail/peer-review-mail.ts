import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Clock, translations } from '@rehearse/server/core';
import { MailPreferencesRepository, UsersRepository } from '@rehearse/server/accounts';
import { LearningRepository } from '@rehearse/server/courses';
import {
  appLink,
  type ComposedMail,
  escapeHtml,
  greeting,
  NOTHING_AFTER_SENDING,
  UnsubscribeLinks,
} from '@rehearse/server/mail';
import { type ReviewForMail, ReviewsRepository } from '../reviews.repository';
import { FEEDBACK_MAIL_TEXT } from './feedback-mail.texts';

const textIn = translations(FEEDBACK_MAIL_TEXT);
type Text = ReturnType<typeof textIn>;

/**
 * What the e-mails about a peer review to do share (asked, reminded): nothing once the review is
 * done or lapsed, its reviewer can no longer sign in, or its answer is hidden since (its owner's
 * licence ended: the link would lead nowhere); otherwise a mail to the reviewer in their language
 * with a link to the review, its subject and sentence chosen by the composer.
 */
@Injectable()
export class PeerReviewMails {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly users: UsersRepository,
    private readonly preferences: MailPreferencesRepository,
    private readonly learning: LearningRepository,
    private readonly clock: Clock,
    private readonly unsubscribe: UnsubscribeLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose(
    reviewId: string,
    words: (t: Text, locale: string | null, review: ReviewForMail) => { subject: string; body: string } | null,
  ): Promise<ComposedMail | null> {
    const r = await this.reviews.forMail(reviewId);
    if (!r || !r.reviewer_id || (r.state !== 'assigned' && r.state !== 'draft')) return null;
    const to = await this.users.recipient(r.tenant_id, r.reviewer_id);
    if (!to || to.status !== 'active') return null;
    if (!(await this.preferences.wants(r.tenant_id, r.reviewer_id, 'peer_reviews'))) return null;
    const shown = await this.learning.answersToReview(r.tenant_id, [r.answer_id], this.clock.today());
    if (!shown.has(r.answer_id)) return null;
    const t = textIn(to.locale);
    const said = words(t, to.locale, r);
    if (!said) return null;
    const link = appLink(this.config.PUBLIC_URL, `/review/${r.answer_id}`);
    const hello = greeting(to.locale, to.name);
    const stop = this.unsubscribe.footer(to.locale, r.reviewer_id, 'peer_reviews');
    return {
      mail: {
        to: to.email,
        subject: said.subject,
        text: `${hello.text}\n\n${said.body}\n${link}\n${stop.text}`,
        html: `<p>${hello.html}</p><p>${escapeHtml(said.body)}</p><p><a href="${escapeHtml(link)}">${t('peer.link')}</a></p>${stop.html}`,
        list: stop.list,
        headers: stop.headers,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
