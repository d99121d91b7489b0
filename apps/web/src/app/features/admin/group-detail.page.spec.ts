import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { GroupDetail } from '@rehearse/shared/contracts';
import { GroupDetailPage } from './group-detail.page';
import { settle } from '../../../testing/page-testing';

const group = (id: string, name: string): GroupDetail => ({
  id,
  name,
  description: `About ${name}`,
  participantCount: 0,
  coachCount: 0,
  members: [],
});
const empty = { items: [], total: 0, page: 1, pageSize: 100 };

describe('GroupDetailPage', () => {
  let fixture: ComponentFixture<GroupDetailPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  /** the page's other requests (people, courses, enrolments), answered empty */
  const answerTheRest = () => {
    for (const r of http.match((r) => r.url === '/api/admin/users' || r.url === '/api/admin/courses'))
      if (!r.cancelled) r.flush(empty);
    for (const r of http.match('/api/admin/enrolments')) if (!r.cancelled) r.flush([]);
  };
  const nameField = () => el.querySelector<HTMLInputElement>('input[name=name]')!;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [GroupDetailPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(GroupDetailPage);
    fixture.componentRef.setInput('id', 'g1');
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the group with its form filled; another id shows that group and its own form', async () => {
    http.expectOne('/api/admin/groups/g1').flush(group('g1', 'Team North'));
    answerTheRest();
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Team North');
    expect(nameField().value).toBe('Team North');
    fixture.componentRef.setInput('id', 'g2');
    await settle();
    const slow: TestRequest = http.expectOne('/api/admin/groups/g2');
    expect(el.querySelector('rh-load-state mat-progress-bar')).not.toBeNull();
    expect(el.textContent).not.toContain('Team North');
    slow.flush(group('g2', 'Team South'));
    answerTheRest();
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Team South');
    expect(nameField().value).toBe('Team South');
  });

  it('says so when the group is not in your organisation', async () => {
    http
      .expectOne('/api/admin/groups/g1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    answerTheRest();
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such group in your organisation.');
  });
});
