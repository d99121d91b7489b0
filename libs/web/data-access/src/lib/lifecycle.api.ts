import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  DataExport,
  DeletionReceipt,
  KeepRequest,
  MyRetention,
  Page,
  ReceiptKeySet,
  RetentionSettings,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

const id = (x: string) => encodeURIComponent(x);

/** Licence expiry and retention: the user's own status and keep request; administrators' requests, settings, receipts and erasure. */
@Injectable({ providedIn: 'root' })
export class LifecycleApi {
  private readonly http = inject(HttpClient);

  /** The public key this installation signs receipts with (no sign-in needed). */
  receiptKeys(): Observable<ReceiptKeySet> {
    return this.http.get<ReceiptKeySet>('/api/receipts/keys');
  }

  mine(): Observable<MyRetention> {
    return this.http.get<MyRetention>('/api/my/retention');
  }

  askToKeep(): Observable<MyRetention> {
    return this.http.post<MyRetention>('/api/my/retention/keep', {});
  }

  requests(): Observable<KeepRequest[]> {
    return this.http.get<KeepRequest[]>('/api/admin/retention/requests');
  }

  decide(userId: string, decision: 'approve' | 'decline'): Observable<KeepRequest> {
    return this.http.post<KeepRequest>(`/api/admin/retention/requests/${id(userId)}`, { decision });
  }

  settings(): Observable<RetentionSettings> {
    return this.http.get<RetentionSettings>('/api/admin/retention-settings');
  }

  saveSettings(s: RetentionSettings): Observable<RetentionSettings> {
    return this.http.put<RetentionSettings>('/api/admin/retention-settings', s);
  }

  receipts(page: number, pageSize: number): Observable<Page<DeletionReceipt>> {
    return this.http.get<Page<DeletionReceipt>>('/api/admin/deletion-receipts', { params: { page, pageSize } });
  }

  /** A receipt about oneself (the deletion of one's recordings), signed by the installation. */
  signedOwnReceiptUrl(id: string): string {
    return `/api/my/deletion-receipts/${encodeURIComponent(id)}/signed`;
  }

  /** A receipt signed by the installation (a JSON Web Token): what an administrator hands the person or an auditor. */
  signedReceiptUrl(id: string): string {
    return `/api/admin/deletion-receipts/${encodeURIComponent(id)}/signed`;
  }

  /** Starts an export: your own (nothing named), a person's (administrators), or the whole organisation's ('organisation'). */
  startExport(of?: string): Observable<DataExport> {
    return this.http.post<DataExport>(this.exportsPath(of), {});
  }

  exports(of?: string): Observable<DataExport[]> {
    return this.http.get<DataExport[]>(this.exportsPath(of));
  }

  private exportsPath(of?: string): string {
    return of === 'organisation'
      ? '/api/admin/exports/organisation'
      : of
        ? `/api/admin/users/${id(of)}/exports`
        : '/api/my/exports';
  }

  exportStatus(exportId: string): Observable<DataExport> {
    return this.http.get<DataExport>(`/api/exports/${id(exportId)}`);
  }

  downloadUrl(exportId: string): string {
    return `/api/exports/${id(exportId)}/download`;
  }

  erase(userId: string, reason: string, confirmEmail: string): Observable<{ receiptId: string; verified: boolean }> {
    return this.http.post<{ receiptId: string; verified: boolean }>(`/api/admin/users/${id(userId)}/erase`, {
      reason,
      confirmEmail,
    });
  }
}
