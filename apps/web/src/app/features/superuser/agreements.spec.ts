import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Agreements } from './agreements';
import { provideDates } from '../../core/dates';

describe('Agreements', () => {
  let fixture: ComponentFixture<Agreements>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await fixture.whenStable();
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [Agreements],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideDates()],
    }).compileComponents();
    fixture = TestBed.createComponent(Agreements);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    http
      .expectOne('/api/superuser/tenants')
      .flush([{ tenantId: 't1', name: 'Acme', slug: 'acme', endsOn: null, destroyOn: null, users: 12 }]);
    http.expectOne('/api/superuser/destruction-reports').flush([
      {
        id: 'r1',
        kind: 'tenant_destruction',
        subjectId: 'old-tenant',
        createdAt: '2026-10-01T02:00:00Z',
        verified: true,
        counts: { users: 40, objects: 310 },
        objects: [],
      },
    ]);
    await settle();
  });
  afterEach(() => http.verify());

  it('sets the end of an agreement and shows when the organisation will be destroyed, and the reports of earlier ones', async () => {
    expect(el.textContent).toContain('40 people, 310 objects · verified');
    const input = el.querySelector('input[aria-label="Agreement of Acme ends on"]') as HTMLInputElement;
    // typed the British way (day first), not the browser's
    input.value = '31/03/2027';
    input.dispatchEvent(new Event('input'));
    await settle();
    save().click();
    const req = http.expectOne('/api/superuser/tenants/t1/agreement');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ endsOn: '2027-03-31' });
    req.flush({ tenantId: 't1', name: 'Acme', slug: 'acme', endsOn: '2027-03-31', destroyOn: '2027-05-15', users: 12 });
    await settle();
    expect(el.textContent).toContain('15 May 2027');
    // written the app's way once it leaves the field
    input.dispatchEvent(new Event('blur'));
    await settle();
    expect(input.value).toBe('31 Mar 2027');
  });

  const save = () =>
    Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes('Save')) as HTMLButtonElement;

  it('refuses what is no date instead of clearing the agreement’s end: it says what to type and Save waits', async () => {
    const input = el.querySelector('input[aria-label="Agreement of Acme ends on"]') as HTMLInputElement;
    for (const typed of ['end of March', '31/03/27']) {
      input.value = typed;
      input.dispatchEvent(new Event('input'));
      await settle();
      expect(el.querySelector('[role=alert]')?.textContent).toBe('A date such as 5 Oct 2026, between 2000 and 2099');
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(save().disabled).toBeTrue();
    }
    // nothing was sent (afterEach: http.verify)
    input.value = '';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(el.querySelector('[role=alert]')).toBeNull();
    expect(save().disabled).toBeFalse();
  });
});
