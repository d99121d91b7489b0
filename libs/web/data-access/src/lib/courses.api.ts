import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AnswerSummary,
  CourseContent,
  CourseDetail,
  CourseExportFile,
  CourseLanguage,
  CourseSummary,
  Enrolment,
  Group,
  GroupMember,
  GroupMembersChange,
  LearnerCourse,
  LearnerCourseSummary,
  Page,
  ParticipantProgress,
  Rubric,
  RubricSnapshot,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';
import { queryParams } from './query-params';

const page = (q: { q?: string; page: number; pageSize: number; status?: string }) => {
  let params = new HttpParams().set('page', q.page).set('pageSize', q.pageSize);
  if (q.q) params = params.set('q', q.q);
  if (q.status) params = params.set('status', q.status);
  return params;
};
const id = (x: string) => encodeURIComponent(x);

/** Which of a group's members: a page of them, of one role when given, found by name or address. */
export interface GroupMembersQuery {
  role?: GroupMember['role'];
  q?: string;
  page: number;
  pageSize: number;
}
const memberParams = (q: GroupMembersQuery) => (q.role ? page(q).set('role', q.role) : page(q));

/** Content developers: courses and rubrics. */
@Injectable({ providedIn: 'root' })
export class AuthoringApi {
  private readonly http = inject(HttpClient);

  courses(q: { q?: string; status?: string; page: number; pageSize: number }): Observable<Page<CourseSummary>> {
    return this.http.get<Page<CourseSummary>>('/api/authoring/courses', { params: page(q) });
  }
  create(title: string, language: CourseLanguage): Observable<CourseDetail> {
    return this.http.post<CourseDetail>('/api/authoring/courses', { title, language });
  }
  course(courseId: string): Observable<CourseDetail> {
    return this.http.get<CourseDetail>(`/api/authoring/courses/${id(courseId)}`);
  }
  saveDraft(courseId: string, revision: number, content: CourseContent): Observable<CourseDetail> {
    return this.http.put<CourseDetail>(`/api/authoring/courses/${id(courseId)}/draft`, { revision, content });
  }
  startDraft(courseId: string): Observable<CourseDetail> {
    return this.http.post<CourseDetail>(`/api/authoring/courses/${id(courseId)}/draft`, {});
  }
  publish(courseId: string, changeSummary: string): Observable<CourseDetail> {
    return this.http.post<CourseDetail>(`/api/authoring/courses/${id(courseId)}/publish`, { changeSummary });
  }
  duplicate(courseId: string): Observable<CourseDetail> {
    return this.http.post<CourseDetail>(`/api/authoring/courses/${id(courseId)}/duplicate`, {});
  }
  setArchived(courseId: string, archived: boolean): Observable<CourseDetail> {
    return this.http.put<CourseDetail>(`/api/authoring/courses/${id(courseId)}/archived`, { archived });
  }
  setCover(courseId: string, dataUrl: string): Observable<CourseDetail> {
    return this.http.put<CourseDetail>(`/api/authoring/courses/${id(courseId)}/cover`, { dataUrl });
  }
  removeCover(courseId: string): Observable<CourseDetail> {
    return this.http.delete<CourseDetail>(`/api/authoring/courses/${id(courseId)}/cover`);
  }
  preview(courseId: string): Observable<LearnerCourse> {
    return this.http.get<LearnerCourse>(`/api/authoring/courses/${id(courseId)}/preview`);
  }
  exportUrl(courseId: string): string {
    return `/api/authoring/courses/${id(courseId)}/export`;
  }
  importFile(file: CourseExportFile): Observable<CourseDetail> {
    return this.http.post<CourseDetail>('/api/authoring/courses/import', file);
  }
  rubrics(q: { q?: string; page: number; pageSize: number }): Observable<Page<Rubric>> {
    return this.http.get<Page<Rubric>>('/api/authoring/rubrics', { params: page(q) });
  }
  rubric(rubricId: string): Observable<Rubric> {
    return this.http.get<Rubric>(`/api/authoring/rubrics/${id(rubricId)}`);
  }
  createRubric(r: Omit<RubricSnapshot, 'id'>): Observable<Rubric> {
    return this.http.post<Rubric>('/api/authoring/rubrics', r);
  }
  updateRubric(rubricId: string, revision: number, r: Omit<RubricSnapshot, 'id'>): Observable<Rubric> {
    return this.http.put<Rubric>(`/api/authoring/rubrics/${id(rubricId)}`, { ...r, revision });
  }
  setRubricArchived(rubricId: string, archived: boolean): Observable<Rubric> {
    return this.http.put<Rubric>(`/api/authoring/rubrics/${id(rubricId)}/archived`, { archived });
  }
}

/** Administrators: groups, members, enrolments. */
@Injectable({ providedIn: 'root' })
export class GroupsApi {
  private readonly http = inject(HttpClient);

  groups(q: { q?: string; page: number; pageSize: number }): Observable<Page<Group>> {
    return this.http.get<Page<Group>>('/api/admin/groups', { params: page(q) });
  }
  publishedCourses(q: { q?: string; page: number; pageSize: number }): Observable<Page<CourseSummary>> {
    return this.http.get<Page<CourseSummary>>('/api/admin/courses', { params: page(q) });
  }
  group(groupId: string): Observable<Group> {
    return this.http.get<Group>(`/api/admin/groups/${id(groupId)}`);
  }
  /** A page of the group's members (of one role, when given), found by name or address. */
  members(groupId: string, q: GroupMembersQuery): Observable<Page<GroupMember>> {
    return this.http.get<Page<GroupMember>>(`/api/admin/groups/${id(groupId)}/members`, { params: memberParams(q) });
  }
  create(name: string, description: string): Observable<Group> {
    return this.http.post<Group>('/api/admin/groups', { name, description });
  }
  update(groupId: string, name: string, description: string): Observable<Group> {
    return this.http.put<Group>(`/api/admin/groups/${id(groupId)}`, { name, description });
  }
  remove(groupId: string): Observable<void> {
    return this.http.delete<void>(`/api/admin/groups/${id(groupId)}`);
  }
  /** Adds and removes members (everyone else stays); the group with its new counts. */
  changeMembers(groupId: string, change: GroupMembersChange): Observable<Group> {
    return this.http.patch<Group>(`/api/admin/groups/${id(groupId)}/members`, change);
  }
  /** The enrolments of a course, a group or a person (their own, not their groups'): ask for one, an organisation has many. */
  enrolments(of: { courseId?: string; groupId?: string; userId?: string }): Observable<Enrolment[]> {
    return this.http.get<Enrolment[]>('/api/admin/enrolments', { params: queryParams(of) });
  }
  enrol(e: {
    courseId: string;
    groupId?: string;
    userId?: string;
    coachId?: string;
    startsOn?: string;
    dueOn?: string;
  }): Observable<Enrolment> {
    return this.http.post<Enrolment>('/api/admin/enrolments', e);
  }
  unenrol(enrolmentId: string): Observable<void> {
    return this.http.delete<void>(`/api/admin/enrolments/${id(enrolmentId)}`);
  }
}

/** Trainees and coaches. */
@Injectable({ providedIn: 'root' })
export class LearningApi {
  private readonly http = inject(HttpClient);

  myCourses(): Observable<LearnerCourseSummary[]> {
    return this.http.get<LearnerCourseSummary[]>('/api/my/courses');
  }
  myCourse(courseId: string): Observable<LearnerCourse> {
    return this.http.get<LearnerCourse>(`/api/my/courses/${id(courseId)}`);
  }
  myAnswers(courseId: string): Observable<AnswerSummary[]> {
    return this.http.get<AnswerSummary[]>(`/api/my/courses/${id(courseId)}/answers`);
  }
  /** `submissionId`: the same for the same text sent again, so a lost answer is not made twice */
  answerText(courseId: string, exerciseId: string, text: string, submissionId: string): Observable<AnswerSummary> {
    return this.http.post<AnswerSummary>(`/api/my/courses/${id(courseId)}/exercises/${id(exerciseId)}/text-answers`, {
      text,
      submissionId,
    });
  }
  coachedGroups(q: { q?: string; page: number; pageSize: number }): Observable<Page<Group>> {
    return this.http.get<Page<Group>>('/api/coaching/groups', { params: page(q) });
  }
  coachedGroup(groupId: string): Observable<Group> {
    return this.http.get<Group>(`/api/coaching/groups/${id(groupId)}`);
  }
  /** A page of a coached group's members (of one role, when given). */
  coachedMembers(groupId: string, q: GroupMembersQuery): Observable<Page<GroupMember>> {
    return this.http.get<Page<GroupMember>>(`/api/coaching/groups/${id(groupId)}/members`, {
      params: memberParams(q),
    });
  }
  coachedCourses(groupId: string): Observable<LearnerCourseSummary[]> {
    return this.http.get<LearnerCourseSummary[]>(`/api/coaching/groups/${id(groupId)}/courses`);
  }
  coachedCourse(groupId: string, courseId: string): Observable<LearnerCourse> {
    return this.http.get<LearnerCourse>(`/api/coaching/groups/${id(groupId)}/courses/${id(courseId)}`);
  }
  progress(groupId: string, userId: string): Observable<ParticipantProgress> {
    return this.http.get<ParticipantProgress>(
      `/api/coaching/groups/${id(groupId)}/participants/${id(userId)}/progress`,
    );
  }
  coverUrl(courseId: string): string {
    return `/api/courses/${id(courseId)}/cover`;
  }
}
