import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  DestructionReportSummary,
  ImpersonationRecord,
  Me,
  NewOrganisation,
  Page,
  SuperuserReport,
  TenantAgreement,
  UserSummary,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';
import { queryParams } from './query-params';

export type TenantUser = UserSummary & { tenantName: string };

@Injectable({ providedIn: 'root' })
export class SuperuserApi {
  private readonly http = inject(HttpClient);

  users(q: string, page: number, pageSize: number): Observable<Page<TenantUser>> {
    return this.http.get<Page<TenantUser>>('/api/superuser/users', { params: queryParams({ page, pageSize, q }) });
  }
  impersonate(userId: string, reason: string): Observable<Me> {
    return this.http.post<Me>('/api/superuser/impersonations', { userId, reason });
  }
  /** the organisations whose name or slug contains `q` (all without), by name, a page at a time */
  agreements(q: string, page: number, pageSize: number): Observable<Page<TenantAgreement>> {
    return this.http.get<Page<TenantAgreement>>('/api/superuser/tenants', {
      params: queryParams({ page, pageSize, q }),
    });
  }
  /** registers an organisation; its first administrator is invited by e-mail */
  registerOrganisation(organisation: NewOrganisation): Observable<TenantAgreement> {
    return this.http.post<TenantAgreement>('/api/superuser/tenants', organisation);
  }
  setAgreementEnd(tenantId: string, endsOn: string | null): Observable<TenantAgreement> {
    return this.http.put<TenantAgreement>(`/api/superuser/tenants/${encodeURIComponent(tenantId)}/agreement`, {
      endsOn,
    });
  }
  /** the reports of destroyed organisations (whose name or slug contains `q`), newest first, a page at a time */
  destructionReports(q: string, page: number, pageSize: number): Observable<Page<DestructionReportSummary>> {
    return this.http.get<Page<DestructionReportSummary>>('/api/superuser/destruction-reports', {
      params: queryParams({ page, pageSize, q }),
    });
  }
  /** where a report in full (every object, each confirmed gone or not) is downloaded */
  destructionReportUrl(id: string): string {
    return `/api/superuser/destruction-reports/${encodeURIComponent(id)}`;
  }
  /** the report signed by the installation (a JSON Web Token), to hand to the organisation or its auditor */
  signedDestructionReportUrl(id: string): string {
    return `/api/superuser/destruction-reports/${encodeURIComponent(id)}/signed`;
  }
  /** every superuser with how many impersonations they started in the period */
  report(period: Period = {}): Observable<SuperuserReport> {
    return this.http.get<SuperuserReport>('/api/superuser/report', { params: queryParams({ ...period }) });
  }
  /** the impersonations of the period (and of one superuser), newest first */
  impersonations(filter: ImpersonationsFilter, page: number, pageSize: number): Observable<Page<ImpersonationRecord>> {
    return this.http.get<Page<ImpersonationRecord>>('/api/superuser/impersonations', {
      params: queryParams({ ...filter, page, pageSize }),
    });
  }
  impersonationsExportUrl(filter: ImpersonationsFilter = {}): string {
    const query = queryParams({ ...filter }).toString();
    return `/api/superuser/impersonations/export${query ? `?${query}` : ''}`;
  }
}

/** A period: from a moment (inclusive) to a moment (exclusive), each with its offset from UTC; either open. */
export interface Period {
  from?: string;
  before?: string;
}

/** Which impersonations: started in a period, of one superuser. */
export interface ImpersonationsFilter extends Period {
  superuserId?: string;
}
