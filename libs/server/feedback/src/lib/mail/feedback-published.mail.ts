import { Inject, Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig, translations } from '@rehearse/server/core';
import { MailPreferencesRepository, UsersRepository } from '@rehearse/server/accounts';
import { findExercise } from '@rehearse/server/courses';
import {
  appLink,
  type ComposedMail,
  ComposesMail,
  escaped,
  escapeHtml,
  greeting,
  type MailComposer,
  NOTHING_AFTER_SENDING,
  UnsubscribeLinks,
} from '@rehearse/server/mail';
import { AnswerViewsRepository } from '../answer-views.repository';
import { ReviewsRepository } from '../reviews.repository';
import { FEEDBACK_MAIL_TEXT } from './feedback-mail.texts';

const textIn = translations(FEEDBACK_MAIL_TEXT);

/** Tells the trainee that feedback arrived; names the exercise, never the content (it stays behind the sign-in). */
@Injectable()
@ComposesMail('feedback-published')
export class FeedbackPublishedMail implements MailComposer<'feedback-published'> {
  constructor(
    private readonly reviews: ReviewsRepository,
    private readonly answers: AnswerViewsRepository,
    private readonly users: UsersRepository,
    private readonly preferences: MailPreferencesRepository,
    private readonly unsubscribe: UnsubscribeLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async compose({ reviewId }: MailJobs['feedback-published']): Promise<ComposedMail | null> {
    const r = await this.reviews.forMail(reviewId);
    if (!r || r.state !== 'published') return null;
    const answer = await this.answers.answer(r.tenant_id, r.answer_id);
    const to = answer && (await this.users.recipient(r.tenant_id, answer.user_id));
    if (!answer || !to || to.status !== 'active') return null;
    if (!(await this.preferences.wants(r.tenant_id, answer.user_id, 'feedback_published'))) return null;
    const t = textIn(to.locale);
    const hello = greeting(to.locale, to.name);
    const title = findExercise(answer.content, answer.exercise_id)?.title ?? t('feedback.yourAnswer');
    const given = r.source === 'coach' ? 'feedback.fromCoach' : 'feedback.fromPeer';
    const link = appLink(this.config.PUBLIC_URL, `/answers/${answer.id}`);
    const stop = this.unsubscribe.footer(to.locale, answer.user_id, 'feedback_published');
    return {
      mail: {
        to: to.email,
        subject: t('feedback.subject', { title }),
        text: `${hello.text}\n\n${t(given, { title })} ${t('feedback.linkIntro')}\n${link}\n${stop.text}`,
        html: `<p>${hello.html}</p><p>${t(given, escaped({ title }))}</p><p><a href="${escapeHtml(link)}">${t('feedback.link')}</a></p>${stop.html}`,
        list: stop.list,
        headers: stop.headers,
      },
      sent: NOTHING_AFTER_SENDING,
    };
  }
}
