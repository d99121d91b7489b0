import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Enrolment, Group, GroupMember, Page, UserSummary } from '@rehearse/shared/contracts';
import { GroupDetailPage } from './group-detail.page';
import { provideDates } from '../../core/dates';
import { By } from '@angular/platform-browser';
import { CourseField } from './course-field';
import { button, settle } from '../../../testing/page-testing';
import { SEARCH_PAUSE_MS } from '../../core/search-field';

const group = (id: string, name: string): Group => ({
  id,
  name,
  description: `About ${name}`,
  participantCount: 0,
  coachCount: 0,
});
const member = (userId: string, name: string, role: GroupMember['role'] = 'participant'): GroupMember => ({
  userId,
  name,
  email: `${userId}@example.test`,
  role,
});
const pageOf = (items: GroupMember[], total = items.length, page = 1): Page<GroupMember> => ({
  items,
  total,
  page,
  pageSize: 25,
});
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
const empty = { items: [], total: 0, page: 1, pageSize: 100 };

describe('GroupDetailPage', () => {
  let fixture: ComponentFixture<GroupDetailPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  /** the page's other requests (people, courses, enrolments), answered empty */
  const answerTheRest = async () => {
    // twice: the members are asked for once the group (and its enrolments) are shown
    for (let round = 0; round < 2; round++) {
      await settle();
      for (const r of http.match(
        (r) => r.url === '/api/admin/users' || r.url === '/api/admin/courses' || r.url.endsWith('/members'),
      ))
        if (!r.cancelled) r.flush(empty);
      for (const r of http.match((r) => r.url === '/api/admin/enrolments')) if (!r.cancelled) r.flush([]);
    }
  };
  /** the group answered, with no enrolments: its page shows */
  const open = async (g: Group) => {
    http.expectOne('/api/admin/groups/g1').flush(g);
    http.expectOne((r) => r.url === '/api/admin/enrolments').flush([]);
    await settle();
  };
  /** the request for a page of the group's members of a role */
  const membersAsked = (role: 'participant' | 'coach', id = 'g1') =>
    http.expectOne((r) => r.url === `/api/admin/groups/${id}/members` && r.params.get('role') === role);
  const pause = () => new Promise((r) => setTimeout(r, SEARCH_PAUSE_MS + 50));
  const nameField = () => el.querySelector<HTMLInputElement>('input[name=name]')!;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [GroupDetailPage],
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideRouter([]),
        provideDates(),
      ],
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
    await answerTheRest();
    await settle();
    expect(el.querySelector('h1')?.textContent).toContain('Team North');
    expect(nameField().value).toBe('Team North');
    fixture.componentRef.setInput('id', 'g2');
    await settle();
    const slow: TestRequest = http.expectOne('/api/admin/groups/g2');
    expect(el.querySelector('rh-load-state mat-progress-bar')).not.toBeNull();
    expect(el.textContent).not.toContain('Team North');
    slow.flush(group('g2', 'Team South'));
    await answerTheRest();
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
    await answerTheRest();
    await settle();
    expect(el.textContent).toContain('Calm calls');
    expect(el.textContent).toContain('coach Cora Coach');
  });

  it('enrols the group with a start and a due date typed the app’s way, sent as calendar days; a non-date waits', async () => {
    http.expectOne('/api/admin/groups/g1').flush(group('g1', 'Team North'));
    await answerTheRest();
    await settle();
    (fixture.debugElement.query(By.directive(CourseField)).componentInstance as CourseField).courseId.set('c1');
    const date = (label: string) =>
      Array.from(el.querySelectorAll('mat-form-field'))
        .find((f) => f.querySelector('mat-label')?.textContent === label)
        ?.querySelector('input') as HTMLInputElement;
    const type = async (input: HTMLInputElement, text: string) => {
      input.value = text;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('blur'));
      await settle();
    };
    await type(date('Due'), 'the week before Christmas');
    expect(button(el, 'Enrol the group').disabled).toBeTrue();
    await type(date('Start'), '1/12/2026');
    await type(date('Due'), '22 Dec 2026');
    expect(date('Start').value).toBe('1 Dec 2026');
    button(el, 'Enrol the group').click();
    await settle();
    const enrolled = http.expectOne((r) => r.method === 'POST' && r.url === '/api/admin/enrolments');
    expect(enrolled.request.body).toEqual({
      courseId: 'c1',
      groupId: 'g1',
      startsOn: '2026-12-01',
      dueOn: '2026-12-22',
    });
    http.match(() => true);
  });

  it('says so when the group is not in your organisation', async () => {
    http
      .expectOne('/api/admin/groups/g1')
      .flush({ statusCode: 404, code: 'not_found', message: 'Not found' }, { status: 404, statusText: 'Not Found' });
    await answerTheRest();
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('No such group in your organisation.');
  });

  it("lists a page of the group's members from the server, finds members and people to add, and saves only the changes", async () => {
    await open({ ...group('g1', 'Team North'), participantCount: 1, coachCount: 1 });
    const asked = membersAsked('participant');
    expect(asked.request.params.get('page')).toBe('1');
    expect(asked.request.params.get('pageSize')).toBe('25');
    asked.flush(pageOf([member('zoe', 'Zoe Zimmer')]));
    membersAsked('coach').flush(pageOf([member('cora', 'Cora Coach', 'coach')]));
    await answerTheRest();
    await settle();
    const [participantsCard, coachesCard] = Array.from(el.querySelectorAll('rh-member-picker'));
    expect(participantsCard.textContent).toContain('Zoe Zimmer');
    expect(coachesCard.textContent).toContain('Cora Coach');
    expect(el.textContent).toContain('Participants (1)');
    // nothing changed: nothing to save
    expect(button(el, 'Save members').disabled).toBeTrue();

    const search = el.querySelector<HTMLInputElement>('input[name=participant-search]')!;
    search.value = 'ann';
    search.dispatchEvent(new Event('input'));
    await settle();
    // nothing is asked until the typing pauses
    expect(http.match((r) => r.url === '/api/admin/users').length).toBe(0);
    await pause();
    await settle();
    // the members who match, and the organisation's people who match
    const inGroup = membersAsked('participant');
    expect(inGroup.request.params.get('q')).toBe('ann');
    inGroup.flush(pageOf([]));
    const found = http.expectOne((r) => r.url === '/api/admin/users' && r.params.get('q') === 'ann');
    expect(found.request.params.get('role')).toBe('participant');
    expect(found.request.params.get('status')).toBe('active');
    found.flush({ items: [person('ann', 'Ann Archer'), person('bea', 'Anne Bea')], total: 25, page: 1, pageSize: 20 });
    await settle();
    expect(participantsCard.textContent).toContain('No member matches “ann”.');
    const offered = participantsCard.querySelector('ul.found')!;
    expect(offered.textContent).toContain('Ann Archer');
    expect(participantsCard.textContent).toContain('23 more match');

    offered.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    await settle();
    expect(participantsCard.querySelector('ul.listed')!.textContent).toContain('Ann Archer ann@example.test (to add)');
    expect(participantsCard.querySelector('ul.found')!.textContent).not.toContain('Ann Archer');
    expect(el.textContent).toContain('Participants (2)');
    expect(el.textContent).toContain('1 to add, 0 to remove');

    button(el, 'Save members').click();
    await settle();
    const saved = http.expectOne('/api/admin/groups/g1/members');
    expect(saved.request.method).toBe('PATCH');
    expect(saved.request.body).toEqual({ addParticipants: ['ann'] });
    saved.flush({ ...group('g1', 'Team North'), participantCount: 2, coachCount: 1 });
    await settle();
    expect(el.textContent).toContain('Members saved.');
    // the members are listed afresh (the search still applies, once more after a pause), the changes gone
    membersAsked('coach').flush(pageOf([member('cora', 'Cora Coach', 'coach')]));
    await pause();
    await settle();
    membersAsked('participant').flush(pageOf([member('ann', 'Ann Archer')]));
    await settle();
    expect(participantsCard.querySelector('ul.listed')!.textContent).toContain('Ann Archer');
    expect(el.textContent).toContain('Participants (2)');
    expect(button(el, 'Save members').disabled).toBeTrue();
    await answerTheRest();
  });

  it('unticking a member keeps them listed until saved, so the slip is undone with one click', async () => {
    await open({ ...group('g1', 'Team North'), participantCount: 1 });
    membersAsked('participant').flush(pageOf([member('zoe', 'Zoe Zimmer')]));
    await answerTheRest();
    await settle();
    const box = () => el.querySelector<HTMLInputElement>('rh-member-picker ul.listed input[type=checkbox]')!;
    box().click();
    await settle();
    expect(el.textContent).toContain('Participants (0)');
    expect(el.querySelector('rh-member-picker ul.listed')!.textContent).toContain('zoe@example.test (to remove)');
    expect(el.textContent).toContain('0 to add, 1 to remove');
    box().click();
    await settle();
    expect(el.textContent).toContain('Participants (1)');
    expect(button(el, 'Save members').disabled).toBeTrue();
    box().click();
    await settle();
    // a search that leaves Zoe out still shows her as one to remove (and never offers her to add)
    const search = el.querySelector<HTMLInputElement>('input[name=participant-search]')!;
    search.value = 'ann';
    search.dispatchEvent(new Event('input'));
    await settle();
    await pause();
    await settle();
    membersAsked('participant').flush(pageOf([]));
    http
      .expectOne((r) => r.url === '/api/admin/users')
      .flush({ items: [person('zoe', 'Zoe Zimmer')], total: 1, page: 1, pageSize: 20 });
    await settle();
    const listed = el.querySelector('rh-member-picker ul.listed')!.textContent!;
    // (words apart: Angular drops the blank between two elements unless it is written out)
    expect(listed).toContain('zoe@example.test (to remove)');
    expect(el.querySelector('rh-member-picker ul.found')!.textContent).not.toContain('Zoe Zimmer');
    button(el, 'Save members').click();
    await settle();
    const saved = http.expectOne((r) => r.url === '/api/admin/groups/g1/members' && r.method === 'PATCH');
    expect(saved.request.body).toEqual({ removeParticipants: ['zoe'] });
    saved.flush(group('g1', 'Team North'));
    await settle();
    await answerTheRest();
    await settle();
    expect(el.textContent).toContain('Participants (0)');
  });

  it('pages through a large group, and a failed save keeps the changes to try again', async () => {
    await open({ ...group('g1', 'Team North'), participantCount: 60 });
    membersAsked('participant').flush(pageOf([member('p1', 'Ada First')], 60));
    await answerTheRest();
    await settle();
    const card = el.querySelector('rh-member-picker')!;
    card.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    const second = membersAsked('participant');
    expect(second.request.params.get('page')).toBe('2');
    second.flush(pageOf([member('p26', 'Zed Later')], 60, 2));
    await settle();
    expect(card.textContent).toContain('Zed Later');
    expect(card.textContent).not.toContain('Ada First');
    card.querySelector<HTMLInputElement>('ul.listed input[type=checkbox]')!.click();
    await settle();
    button(el, 'Save members').click();
    await settle();
    http
      .expectOne((r) => r.url === '/api/admin/groups/g1/members' && r.method === 'PATCH')
      .flush(
        { statusCode: 400, code: 'validation_failed', message: 'Some people cannot join this group', errors: [] },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Some people cannot join this group');
    expect(el.textContent).toContain('0 to add, 1 to remove');
    expect(button(el, 'Save members').disabled).toBeFalse();
  });
});
