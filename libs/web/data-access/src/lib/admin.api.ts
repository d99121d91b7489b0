import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AccountActivityAction,
  AccountActivityEntry,
  ImportResult,
  Licence,
  LicencesSet,
  Page,
  SetLicences,
  PrivacyLogEntry,
  PrivacyLogIntegrity,
  TenantRole,
  UserDetail,
  UserStatus,
  UserSummary,
  LicenceFilterName,
  GroupFilterName,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';
import { queryParams } from './query-params';

export interface UserQuery {
  q?: string;
  role?: TenantRole | '';
  status?: UserStatus | '';
  /** whose licence has ended, ends within 30 days, or who have none */
  licence?: LicenceFilterName | '';
  /** participants in no group */
  group?: GroupFilterName | '';
  page: number;
  pageSize: number;
}

export interface Invitation {
  name: string;
  email: string;
  phone?: string;
  roles: TenantRole[];
  licence?: Licence;
}

@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  users(query: UserQuery): Observable<Page<UserSummary>> {
    let params = new HttpParams().set('page', query.page).set('pageSize', query.pageSize);
    if (query.q) params = params.set('q', query.q);
    if (query.role) params = params.set('role', query.role);
    if (query.status) params = params.set('status', query.status);
    if (query.licence) params = params.set('licence', query.licence);
    if (query.group) params = params.set('group', query.group);
    return this.http.get<Page<UserSummary>>('/api/admin/users', { params });
  }
  user(id: string): Observable<UserDetail> {
    return this.http.get<UserDetail>(`/api/admin/users/${encodeURIComponent(id)}`);
  }
  invite(invitation: Invitation): Observable<UserSummary> {
    return this.http.post<UserSummary>('/api/admin/users', invitation);
  }
  importCsv(csv: string): Observable<ImportResult> {
    return this.http.post<ImportResult>('/api/admin/users/import', { csv });
  }
  setRoles(id: string, roles: TenantRole[]): Observable<UserSummary> {
    return this.http.put<UserSummary>(`/api/admin/users/${encodeURIComponent(id)}/roles`, { roles });
  }
  setLicence(id: string, licence: Licence): Observable<UserSummary> {
    return this.http.put<UserSummary>(`/api/admin/users/${encodeURIComponent(id)}/licence`, licence);
  }
  /** one licence for several people at once */
  setLicences(body: SetLicences): Observable<LicencesSet> {
    return this.http.put<LicencesSet>('/api/admin/users/licences', body);
  }
  setActive(id: string, active: boolean): Observable<UserSummary> {
    return this.http.post<UserSummary>(
      `/api/admin/users/${encodeURIComponent(id)}/${active ? 'reactivate' : 'deactivate'}`,
      {},
    );
  }
  resendInvitation(id: string): Observable<void> {
    return this.http.post<void>(`/api/admin/users/${encodeURIComponent(id)}/invitation`, {});
  }
  /**
   * A page of the organisation's privacy log: of one person's data (subjectId), of one person's
   * looks (actorId), of a period (from, inclusive, to before, exclusive: moments with their offset).
   */
  privacyLog(page: number, pageSize: number, filter: PrivacyLogFilter = {}): Observable<Page<PrivacyLogEntry>> {
    const params = privacyLogParams(filter).set('page', page).set('pageSize', pageSize);
    return this.http.get<Page<PrivacyLogEntry>>('/api/admin/privacy-log', { params });
  }
  /** The last check of the organisation's privacy log for changes made outside Rehearse. */
  privacyLogIntegrity(): Observable<PrivacyLogIntegrity> {
    return this.http.get<PrivacyLogIntegrity>('/api/admin/privacy-log/integrity');
  }
  privacyLogExportUrl(filter: PrivacyLogFilter = {}): string {
    const query = privacyLogParams(filter).toString();
    return `/api/admin/privacy-log/export${query ? `?${query}` : ''}`;
  }

  /** What was changed in the organisation's accounts, newest first: all, one person's, or of one kind. */
  accountActivity(
    page: number,
    pageSize: number,
    filter: { subjectId?: string; action?: AccountActivityAction } = {},
  ): Observable<Page<AccountActivityEntry>> {
    const params = queryParams({ subjectId: filter.subjectId, action: filter.action })
      .set('page', page)
      .set('pageSize', pageSize);
    return this.http.get<Page<AccountActivityEntry>>('/api/admin/activity', { params });
  }
  /** The CSV of the same changes, every one of them, oldest first. */
  accountActivityExportUrl(filter: { subjectId?: string; action?: AccountActivityAction } = {}): string {
    const query = queryParams({ subjectId: filter.subjectId, action: filter.action }).toString();
    return `/api/admin/activity/export${query ? `?${query}` : ''}`;
  }
}

/** Which rows of the organisation's privacy log (the API's query: `admin/privacy-log`'s and its export's). */
export interface PrivacyLogFilter {
  subjectId?: string;
  actorId?: string;
  from?: string;
  before?: string;
  /** only the looks of the operator's support staff */
  by?: 'support';
}

function privacyLogParams(f: PrivacyLogFilter): HttpParams {
  return queryParams({ subjectId: f.subjectId, actorId: f.actorId, from: f.from, before: f.before, by: f.by });
}
