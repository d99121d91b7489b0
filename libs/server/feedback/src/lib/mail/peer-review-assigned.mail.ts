import { Injectable } from '@nestjs/common';
import type { MailJobs } from '@rehearse/shared/contracts';
import { longDate } from '@rehearse/server/core';
import { type ComposedMail, ComposesMail, type MailComposer } from '@rehearse/server/mail';
import { PeerReviewMails } from './peer-review-mail';

/** Asks a trainee for a peer review they were given, with its due date (PeerReviewMails: while it is open). */
@Injectable()
@ComposesMail('peer-review-assigned')
export class PeerReviewAssignedMail implements MailComposer<'peer-review-assigned'> {
  constructor(private readonly mails: PeerReviewMails) {}

  compose({ reviewId }: MailJobs['peer-review-assigned']): Promise<ComposedMail | null> {
    return this.mails.compose(reviewId, (t, locale, r) => ({
      subject: t('peer.subject'),
      body: r.due_at ? t('peer.bodyDue', { date: longDate(locale, r.due_at) }) : t('peer.body'),
    }));
  }
}
