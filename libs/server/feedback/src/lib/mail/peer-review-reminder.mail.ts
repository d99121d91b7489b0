import { Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { longDate } from '@rehearse/server/core';
import { type ComposedMail, ComposesMail, type MailComposer } from '@rehearse/server/mail';
import { PeerReviewMails } from './peer-review-mail';

/** Reminds a trainee of a peer review due within a day, with its due date (PeerReviewMails: while it is open). */
@Injectable()
@ComposesMail('peer-review-reminder')
export class PeerReviewReminderMail implements MailComposer<'peer-review-reminder'> {
  constructor(private readonly mails: PeerReviewMails) {}

  compose({ reviewId }: MailJobs['peer-review-reminder']): Promise<ComposedMail | null> {
    return this.mails.compose(reviewId, (t, locale, r) => {
      if (!r.due_at) return null;
      const date = longDate(locale, r.due_at);
      return { subject: t('reminder.subject', { date }), body: t('reminder.body', { date }) };
    });
  }
}
