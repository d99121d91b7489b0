import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AccountActivityEntry,
  AccountSso,
  ActiveSession,
  EmailChangeStatus,
  Locale,
  MailPreferences,
  MailPreferencesSetting,
  Me,
  Page,
  PendingEmailChange,
  PrivacyLogLooks,
  SessionsEnded,
  TotpSetup,
  TrustedDevice,
  UnsubscribeTopic,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);

  updateProfile(changes: { name?: string; phone?: string; locale?: Locale }): Observable<Me> {
    return this.http.patch<Me>('/api/account/profile', changes);
  }
  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http.post<void>('/api/account/password', { currentPassword, newPassword });
  }
  /** Asks for a new address: a link goes to it, and the address changes once it is followed. */
  changeEmail(password: string, email: string): Observable<PendingEmailChange> {
    return this.http.post<PendingEmailChange>('/api/account/email', { password, email });
  }
  emailChange(): Observable<EmailChangeStatus> {
    return this.http.get<EmailChangeStatus>('/api/account/email');
  }
  cancelEmailChange(): Observable<void> {
    return this.http.delete<void>('/api/account/email');
  }
  /** The e-mails the person may stop, and whether each comes. */
  /** Sign-in with one's organisation: whether it is offered, and since when one's Microsoft account is linked. */
  sso(): Observable<AccountSso> {
    return this.http.get<AccountSso>('/api/account/sso');
  }
  mailPreferences(): Observable<MailPreferencesSetting> {
    return this.http.get<MailPreferencesSetting>('/api/account/mail-preferences');
  }
  /** Turns the e-mails named off or on again; the others stay as they are. */
  setMailPreferences(changes: Partial<MailPreferences>): Observable<MailPreferencesSetting> {
    return this.http.patch<MailPreferencesSetting>('/api/account/mail-preferences', changes);
  }
  /** Stops one kind of e-mail with the signed link from one of them (no sign-in needed). */
  stopByLink(link: { u: string; t: UnsubscribeTopic; s: string }): Observable<void> {
    return this.http.post<void>('/api/mail/unsubscribe', null, { params: link });
  }
  beginTotp(password: string): Observable<TotpSetup> {
    return this.http.post<TotpSetup>('/api/account/totp/setup', { password });
  }
  enableTotp(code: string): Observable<void> {
    return this.http.post<void>('/api/account/totp/enable', { code });
  }
  disableTotp(password: string): Observable<void> {
    return this.http.post<void>('/api/account/totp/disable', { password });
  }
  trustedDevices(): Observable<TrustedDevice[]> {
    return this.http.get<TrustedDevice[]>('/api/account/trusted-devices');
  }
  revokeDevice(id: string): Observable<void> {
    return this.http.delete<void>(`/api/account/trusted-devices/${encodeURIComponent(id)}`);
  }
  sessions(): Observable<ActiveSession[]> {
    return this.http.get<ActiveSession[]>('/api/account/sessions');
  }
  /** Signs out everywhere else; how many sessions ended. */
  endOtherSessions(): Observable<SessionsEnded> {
    return this.http.delete<SessionsEnded>('/api/account/sessions');
  }
  endSession(id: string): Observable<void> {
    return this.http.delete<void>(`/api/account/sessions/${encodeURIComponent(id)}`);
  }
  /**
   * Who looked at my data, newest first (the same look repeated on one day one entry, with its
   * count); with `answerId`, only at that answer of mine and its recording.
   */
  /** What the organisation's administrators changed in one's own account, newest first. */
  myActivity(page: number, pageSize: number): Observable<Page<AccountActivityEntry>> {
    const params = new HttpParams().set('page', page).set('pageSize', pageSize);
    return this.http.get<Page<AccountActivityEntry>>('/api/account/activity', { params });
  }

  myPrivacyLog(page: number, pageSize: number, answerId?: string): Observable<Page<PrivacyLogLooks>> {
    let params = new HttpParams().set('page', page).set('pageSize', pageSize);
    if (answerId) params = params.set('answerId', answerId);
    return this.http.get<Page<PrivacyLogLooks>>('/api/account/privacy-log', { params });
  }
}
