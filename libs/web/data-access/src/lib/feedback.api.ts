import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AiReport,
  AnswerFeedback,
  CoachDigestSetting,
  FeedbackSettings,
  Page,
  PeerAssignment,
  ReportOverview,
  Review,
  ReviewContext,
  ReviewDraftInput,
  ReviewQueueCourse,
  ReviewQueueItem,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

const id = (x: string) => encodeURIComponent(x);

function params(filter: { courseId?: string; groupId?: string }): HttpParams {
  let p = new HttpParams();
  if (filter.courseId) p = p.set('courseId', filter.courseId);
  if (filter.groupId) p = p.set('groupId', filter.groupId);
  return p;
}

/** Reviews, the feedback a trainee receives, peer sharing, queues, reports and tenant feedback settings. */
@Injectable({ providedIn: 'root' })
export class FeedbackApi {
  private readonly http = inject(HttpClient);

  /** The coach's queue, oldest first; with `courseId`, that course's answers only. */
  queue(page: number, pageSize: number, courseId?: string): Observable<Page<ReviewQueueItem>> {
    return this.http.get<Page<ReviewQueueItem>>('/api/coaching/reviews', {
      params: courseId ? { page, pageSize, courseId } : { page, pageSize },
    });
  }

  /** The courses whose answers wait in your queue, each with how many (the queue's choice of one course). */
  queueCourses(): Observable<ReviewQueueCourse[]> {
    return this.http.get<ReviewQueueCourse[]>('/api/coaching/reviews/courses');
  }

  /** Whether you (a coach) receive the morning e-mail that says how many answers wait for you. */
  coachDigest(): Observable<CoachDigestSetting> {
    return this.http.get<CoachDigestSetting>('/api/coaching/digest');
  }

  setCoachDigest(enabled: boolean): Observable<CoachDigestSetting> {
    return this.http.put<CoachDigestSetting>('/api/coaching/digest', { enabled });
  }

  context(answerId: string): Observable<ReviewContext> {
    return this.http.get<ReviewContext>(`/api/answers/${id(answerId)}/review`);
  }

  saveDraft(answerId: string, draft: ReviewDraftInput): Observable<Review> {
    return this.http.put<Review>(`/api/answers/${id(answerId)}/review`, draft);
  }

  publish(answerId: string, revision: number): Observable<Review> {
    return this.http.post<Review>(`/api/answers/${id(answerId)}/review/publish`, { revision });
  }

  feedback(answerId: string): Observable<AnswerFeedback> {
    return this.http.get<AnswerFeedback>(`/api/answers/${id(answerId)}/feedback`);
  }

  share(answerId: string, groupId?: string): Observable<AnswerFeedback> {
    return this.http.post<AnswerFeedback>(`/api/my/answers/${id(answerId)}/share`, groupId ? { groupId } : {});
  }

  peerReviews(): Observable<PeerAssignment[]> {
    return this.http.get<PeerAssignment[]>('/api/my/peer-reviews');
  }

  assessment(recordingId: string): Observable<AiReport> {
    return this.http.get<AiReport>(`/api/recordings/${id(recordingId)}/assessment`);
  }

  overview(filter: { courseId?: string; groupId?: string }, page = 1, pageSize = 50): Observable<ReportOverview> {
    return this.http.get<ReportOverview>('/api/reports/overview', {
      params: params(filter).set('page', page).set('pageSize', pageSize),
    });
  }

  /** A table of the reports as CSV or as an Excel workbook (numbers and months typed, headings in the reader's language). */
  exportUrl(
    table: 'criteria' | 'agreement',
    filter: { courseId?: string; groupId?: string },
    format: 'csv' | 'xlsx' = 'csv',
  ): string {
    return `/api/reports/export?${params(filter).set('table', table).set('format', format).toString()}`;
  }

  settings(): Observable<FeedbackSettings> {
    return this.http.get<FeedbackSettings>('/api/admin/feedback-settings');
  }

  saveSettings(s: FeedbackSettings): Observable<FeedbackSettings> {
    return this.http.put<FeedbackSettings>('/api/admin/feedback-settings', s);
  }
}
