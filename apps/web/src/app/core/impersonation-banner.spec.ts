import { TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter, Router } from '@angular/router';
import { ImpersonationBanner } from './impersonation-banner';
import { SessionStore } from './session.store';
import { ME } from './session.store.spec';

describe('ImpersonationBanner', () => {
  it('shows who acts, why, and ends the impersonation', async () => {
    await TestBed.configureTestingModule({
      imports: [ImpersonationBanner],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    const fixture = TestBed.createComponent(ImpersonationBanner);
    fixture.componentRef.setInput('impersonation', {
      id: 'i1',
      superuserId: 's1',
      superuserName: 'Sam Support',
      reason: 'Ticket 42',
      expiresAt: '2026-11-22T12:00:00Z',
    });
    fixture.componentRef.setInput('userName', 'Pim');
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Acting as Pim');
    expect(el.textContent).toContain('Sam Support');
    expect(el.textContent).toContain('Ticket 42');
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    el.querySelector('button')!.click();
    TestBed.inject(HttpTestingController)
      .expectOne('/api/auth/impersonation/end')
      .flush({ ...ME, isSuperuser: true });
    await new Promise((r) => setTimeout(r));
    expect(TestBed.inject(SessionStore).me()?.isSuperuser).toBeTrue();
    expect(navigate).toHaveBeenCalledWith(['/superuser']);
  });
});
