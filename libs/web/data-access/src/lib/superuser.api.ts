import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  DeletionReceipt,
  Me,
  Page,
  SuperuserReport,
  TenantAgreement,
  UserSummary,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

export type TenantUser = UserSummary & { tenantName: string };

@Injectable({ providedIn: 'root' })
export class SuperuserApi {
  private readonly http = inject(HttpClient);

  users(q: string, page: number, pageSize: number): Observable<Page<TenantUser>> {
    let params = new HttpParams().set('page', page).set('pageSize', pageSize);
    if (q) params = params.set('q', q);
    return this.http.get<Page<TenantUser>>('/api/superuser/users', { params });
  }
  impersonate(userId: string, reason: string): Observable<Me> {
    return this.http.post<Me>('/api/superuser/impersonations', { userId, reason });
  }
  agreements(): Observable<TenantAgreement[]> {
    return this.http.get<TenantAgreement[]>('/api/superuser/tenants');
  }
  setAgreementEnd(tenantId: string, endsOn: string | null): Observable<TenantAgreement> {
    return this.http.put<TenantAgreement>(`/api/superuser/tenants/${encodeURIComponent(tenantId)}/agreement`, {
      endsOn,
    });
  }
  destructionReports(): Observable<DeletionReceipt[]> {
    return this.http.get<DeletionReceipt[]>('/api/superuser/destruction-reports');
  }
  report(): Observable<SuperuserReport> {
    return this.http.get<SuperuserReport>('/api/superuser/report');
  }
}
