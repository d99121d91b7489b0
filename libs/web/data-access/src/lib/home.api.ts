import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { HomeSummary } from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

/** The home page: one section per role, built from live data by the API. */
@Injectable({ providedIn: 'root' })
export class HomeApi {
  private readonly http = inject(HttpClient);

  summary(): Observable<HomeSummary> {
    return this.http.get<HomeSummary>('/api/home');
  }
}
