import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Enrolment, GroupDetail, UserSummary } from '@rehearse/shared/contracts';
import { GroupDetailPage } from './group-detail.page';
import { button, settle } from '../../../testing/page-testing';
import { SEARCH_PAUSE_MS } from '../../core/search-field';

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
    for (const r of http.match((r) => r.url === '/api/admin/enrolments')) if (!r.cancelled) r.flush([]);
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

  it("asks for this group's enrolments only (an organisation has thousands) and lists them", async () => {
    http.expectOne('/api/admin/groups/g1').flush(group('g1', 'Team North'));
    const asked = http.expectOne((r) => r.url === '/api/admin/enrolments');
    expect(asked.request.params.keys()).toEqual(['groupId']);
    expect(asked.request.params.get('groupId')).toBe('g1');
    const enrolment: Enrolment = {
      id: 'e1',
      courseId: 'c1',
      courseTitle: 'Calm calls',
      groupId: 'g1',
      groupName: 'Team North',
      userId: null,
      userName: null,
      coachId: 'cora',
      coachName: 'Cora Coach',
      startsOn: null,
      dueOn: null,
    };
    asked.flush([enrolment]);
    answerTheRest();
    await settle();
    expect(el.textContent).toContain('Calm calls');
    expect(el.textContent).toContain('coach Cora Coach');
  });

  it('says so when the group is not in your organisation', async () => {
    http
      .expectOne('/api/admin/groups/g1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    answerTheRest();
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such group in your organisation.');
  });

  it("lists the group's members whoever they are, finds people to add on the server, and saves the whole membership", async () => {
    const person = (id: string, name: string): UserSummary => ({
      id,
      name,
      email: `${id}@example.test`,
      phone: null,
      status: 'active',
      roles: ['participant'],
      licence: null,
      createdAt: '2026-11-01T00:00:00Z',
    });
    http.expectOne('/api/admin/groups/g1').flush({
      ...group('g1', 'Team North'),
      participantCount: 1,
      coachCount: 1,
      members: [
        { userId: 'zoe', name: 'Zoe Zimmer', email: 'zoe@example.test', role: 'participant' },
        { userId: 'cora', name: 'Cora Coach', email: 'cora@example.test', role: 'coach' },
      ],
    });
    answerTheRest();
    await settle();
    // a member far down the alphabet is listed (the page once showed only the organisation's first 100)
    const [participantsCard, coachesCard] = Array.from(el.querySelectorAll('rh-member-picker'));
    expect(participantsCard.textContent).toContain('Zoe Zimmer');
    expect(coachesCard.textContent).toContain('Cora Coach');
    expect(el.textContent).toContain('Participants (1)');

    const search = el.querySelector<HTMLInputElement>('input[name=participant-search]')!;
    search.value = 'ann';
    search.dispatchEvent(new Event('input'));
    await settle();
    // nothing is asked until the typing pauses
    expect(http.match((r) => r.url === '/api/admin/users' && r.params.get('q') === 'ann').length).toBe(0);
    await new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
    await settle();
    const asked = http.expectOne((r) => r.url === '/api/admin/users' && r.params.get('q') === 'ann');
    expect(asked.request.params.get('role')).toBe('participant');
    expect(asked.request.params.get('status')).toBe('active');
    asked.flush({
      items: [person('ann', 'Ann Archer'), person('zoe', 'Zoe Zimmer')],
      total: 25,
      page: 1,
      pageSize: 20,
    });
    await settle();
    const found = participantsCard.querySelector('ul.found')!;
    // a member already listed is not offered again; how many more match is said
    expect(found.textContent).toContain('Ann Archer');
    expect(found.textContent).not.toContain('Zoe Zimmer');
    expect(participantsCard.textContent).toContain('23 more match');

    found.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    await settle();
    expect(participantsCard.querySelector('ul.listed')!.textContent).toContain('Ann Archer');
    expect(el.textContent).toContain('Participants (2)');

    button(el, 'Save members').click();
    await settle();
    const saved = http.expectOne('/api/admin/groups/g1/members');
    expect(saved.request.method).toBe('PUT');
    expect(saved.request.body).toEqual({ participants: ['zoe', 'ann'], coaches: ['cora'] });
    saved.flush({
      ...group('g1', 'Team North'),
      members: [
        { userId: 'zoe', name: 'Zoe Zimmer', email: 'zoe@example.test', role: 'participant' },
        { userId: 'ann', name: 'Ann Archer', email: 'ann@example.test', role: 'participant' },
        { userId: 'cora', name: 'Cora Coach', email: 'cora@example.test', role: 'coach' },
      ],
    });
    await settle();
    expect(el.textContent).toContain('Members saved.');
    expect(participantsCard.querySelector('ul.listed')!.textContent).toContain('Ann Archer');
  });

  it('unticking a member keeps them listed until saved, so the slip is undone with one click', async () => {
    http.expectOne('/api/admin/groups/g1').flush({
      ...group('g1', 'Team North'),
      members: [{ userId: 'zoe', name: 'Zoe Zimmer', email: 'zoe@example.test', role: 'participant' }],
    });
    answerTheRest();
    await settle();
    const box = () => el.querySelector<HTMLInputElement>('rh-member-picker ul.listed input[type=checkbox]')!;
    box().click();
    await settle();
    expect(el.textContent).toContain('Participants (0)');
    expect(el.querySelector('rh-member-picker ul.listed')!.textContent).toContain('Zoe Zimmer');
    box().click();
    await settle();
    expect(el.textContent).toContain('Participants (1)');
    button(el, 'Save members').click();
    await settle();
    const saved = http.expectOne('/api/admin/groups/g1/members');
    expect(saved.request.body).toEqual({ participants: ['zoe'], coaches: [] });
    saved.flush(group('g1', 'Team North'));
    await settle();
  });
});
