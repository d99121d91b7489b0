import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Me } from '@rehearse/shared/contracts';
import { SessionStore } from './session.store';

export const ME: Me = {
  id: 'u1',
  email: 'ada@example.test',
  name: 'Ada',
  phone: null,
  tenantId: 't1',
  tenantName: 'Demo',
  roles: ['administrator'],
  isSuperuser: false,
  totpEnabled: false,
  locale: null,
  permissions: ['account.self', 'privacy.read', 'users.read', 'users.write'],
  impersonation: null,
  session: { idleMinutes: 30, endsAt: '2099-01-01T00:00:00.000Z' },
};

describe('SessionStore', () => {
  let store: SessionStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(SessionStore);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('loads the signed-in user and answers permission questions', async () => {
    const loading = store.load();
    http.expectOne('/api/auth/me').flush(ME);
    expect(await loading).toEqual(ME);
    expect(store.signedIn()).toBeTrue();
    expect(store.can('users.read')).toBeTrue();
    expect(store.can('superuser.impersonate')).toBeFalse();
  });

  it('treats 401 as signed out, and loads only once', async () => {
    const loading = store.load();
    http.expectOne('/api/auth/me').flush({ code: 'unauthenticated' }, { status: 401, statusText: 'Unauthorized' });
    expect(await loading).toBeNull();
    expect(store.signedIn()).toBeFalse();
    expect(await store.load()).toBeNull();
    http.expectNone('/api/auth/me');
  });

  it('passes other failures on, so the page can show an error', async () => {
    const loading = store.load();
    http.expectOne('/api/auth/me').flush({}, { status: 503, statusText: 'Unavailable' });
    await expectAsync(loading).toBeRejected();
    expect(store.loaded()).toBeFalse();
  });
});
