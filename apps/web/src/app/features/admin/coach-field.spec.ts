import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { UserSummary } from '@rehearse/shared/contracts';
import { CoachField } from './coach-field';
import { SEARCH_PAUSE_MS } from '../../core/search-field';
import { settle } from '../../../testing/page-testing';

const coach = (id: string, name: string): UserSummary => ({
  id,
  name,
  email: `${id}@example.test`,
  phone: null,
  status: 'active',
  roles: ['coach'],
  licence: null,
  createdAt: '2026-11-01T00:00:00Z',
});

describe('CoachField', () => {
  let fixture: ComponentFixture<CoachField>;
  let http: HttpTestingController;
  let input: HTMLInputElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [CoachField],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(CoachField);
    http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    await settle();
    input = fixture.nativeElement.querySelector('input');
  });
  afterEach(() => http.verify());

  const options = () => Array.from(document.querySelectorAll('mat-option')) as HTMLElement[];

  it('finds coaches by name on the server and picks one; typing again clears the choice', async () => {
    // nothing is asked until the field is used; then the first coaches, before anything is typed
    expect(http.match((r) => r.url === '/api/admin/users').length).toBe(0);
    input.dispatchEvent(new Event('focus'));
    await settle();
    const first = http.expectOne((r) => r.url === '/api/admin/users' && !r.params.has('q'));
    expect(first.request.params.get('role')).toBe('coach');
    first.flush({ items: [coach('c1', 'Cora Coach')], total: 250, page: 1, pageSize: 20 });
    input.value = 'zed';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(http.match((r) => r.params.get('q') === 'zed').length).toBe(0);
    await new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
    await settle();
    const asked = http.expectOne((r) => r.url === '/api/admin/users' && r.params.get('q') === 'zed');
    expect(asked.request.params.get('status')).toBe('active');
    // far down the alphabet: beyond any first page of coaches
    asked.flush({ items: [coach('c250', 'Zed Zander')], total: 1, page: 1, pageSize: 20 });
    await settle();
    input.dispatchEvent(new Event('focusin'));
    await settle();
    const zed = options().find((o) => o.textContent?.includes('Zed Zander'));
    expect(zed).toBeDefined();
    zed!.click();
    await settle();
    expect(fixture.componentInstance.coachId()).toBe('c250');
    expect(input.value).toBe('Zed Zander');
    // the picked name is looked up again as the field's text: answer it
    for (const r of http.match((r) => r.url === '/api/admin/users'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 20 });
    input.value = 'Ze';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(fixture.componentInstance.coachId()).toBeNull();
    await new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
    for (const r of http.match((r) => r.url === '/api/admin/users'))
      if (!r.cancelled) r.flush({ items: [], total: 0, page: 1, pageSize: 20 });
  });
});
