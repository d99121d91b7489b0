import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Me, Page, SuperuserReport, UserSummary } from '@rehearse/shared/contracts';
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
  report(): Observable<SuperuserReport> {
    return this.http.get<SuperuserReport>('/api/superuser/report');
  }
}
