import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  EmailChangeInfo,
  InvitationInfo,
  PasswordResetInfo,
  PasswordResetRequested,
  LoginResult,
  Me,
  SsoAvailability,
  SsoSettings,
  SsoSettingsInput,
} from '@rehearse/shared/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  csrf(): Observable<{ token: string }> {
    return this.http.get<{ token: string }>('/api/auth/csrf');
  }
  me(): Observable<Me> {
    return this.http.get<Me>('/api/auth/me');
  }
  login(email: string, password: string, organisation?: string): Observable<LoginResult> {
    return this.http.post<LoginResult>(
      '/api/auth/login',
      organisation ? { email, password, organisation } : { email, password },
    );
  }
  verify(code: string, trustDevice: boolean): Observable<LoginResult> {
    return this.http.post<LoginResult>('/api/auth/mfa', { code, trustDevice });
  }
  sendEmailCode(): Observable<LoginResult> {
    return this.http.post<LoginResult>('/api/auth/mfa/email', {});
  }
  ssoInfo(slug: string): Observable<SsoAvailability> {
    return this.http.get<SsoAvailability>(`/api/auth/sso/${encodeURIComponent(slug)}/info`);
  }
  ssoSettings(): Observable<SsoSettings> {
    return this.http.get<SsoSettings>('/api/admin/sso');
  }
  saveSsoSettings(s: SsoSettingsInput): Observable<SsoSettings> {
    return this.http.put<SsoSettings>('/api/admin/sso', s);
  }
  logout(): Observable<void> {
    return this.http.post<void>('/api/auth/logout', {});
  }
  endImpersonation(): Observable<Me> {
    return this.http.post<Me>('/api/auth/impersonation/end', {});
  }
  invitation(token: string): Observable<InvitationInfo> {
    return this.http.get<InvitationInfo>(`/api/invitations/${encodeURIComponent(token)}`);
  }
  acceptInvitation(token: string, password: string): Observable<void> {
    return this.http.post<void>('/api/invitations/accept', { token, password });
  }
  /** Asks for a link to choose a new password (the answer is the same whether or not the address has an account). */
  requestPasswordReset(email: string): Observable<PasswordResetRequested> {
    return this.http.post<PasswordResetRequested>('/api/auth/password-reset', { email });
  }
  passwordReset(token: string): Observable<PasswordResetInfo> {
    return this.http.get<PasswordResetInfo>(`/api/auth/password-reset/${encodeURIComponent(token)}`);
  }
  completePasswordReset(token: string, password: string): Observable<void> {
    return this.http.post<void>('/api/auth/password-reset/complete', { token, password });
  }
  /** What the link mailed to a new e-mail address confirms. */
  emailChange(token: string): Observable<EmailChangeInfo> {
    return this.http.get<EmailChangeInfo>(`/api/auth/email-change/${encodeURIComponent(token)}`);
  }
  confirmEmailChange(token: string): Observable<void> {
    return this.http.post<void>('/api/auth/email-change/confirm', { token });
  }
}
