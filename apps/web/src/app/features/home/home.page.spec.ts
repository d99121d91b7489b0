import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { HomeSummary, Me } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { HomePage } from './home.page';
import { settle } from '../../../testing/page-testing';

const NONE: HomeSummary = { participant: null, coach: null, admin: null, developer: null };

describe('HomePage', () => {
  let fixture: ComponentFixture<HomePage>;
  let http: HttpTestingController;
  const text = () => ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');

  function start(me: Partial<Me>): void {
    TestBed.inject(SessionStore).set({
      id: 'me',
      name: 'Pim',
      tenantName: 'Acme',
      isSuperuser: false,
      ...me,
    } as unknown as Me);
    fixture = TestBed.createComponent(HomePage);
    fixture.detectChanges();
  }

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [HomePage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('a trainee: the next exercise links to it, due dates, the newest feedback; no stale placeholder sentence', async () => {
    start({ roles: ['participant'], permissions: ['courses.learn'] } as Partial<Me>);
    http.expectOne('/api/home').flush({
      ...NONE,
      participant: {
        next: {
          courseId: 'c1',
          courseTitle: 'Complaints',
          exerciseId: 'e1',
          exerciseTitle: 'The angry customer',
          dueOn: '2026-12-22',
        },
        due: [{ courseId: 'c1', title: 'Complaints', dueOn: '2026-12-22', exercisesAnswered: 1, exercisesTotal: 4 }],
        licenceEndedOn: null,
        feedback: [
          {
            answerId: 'a1',
            courseTitle: 'Complaints',
            exerciseTitle: 'Opening the call',
            source: 'coach',
            publishedAt: '2026-11-28T10:00:00Z',
          },
        ],
        peerReviews: { toDo: 2, nextDueAt: '2026-12-05T09:00:00Z' },
      },
    } satisfies HomeSummary);
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(text()).toContain('Next: The angry customer in Complaints');
    expect(el.querySelector('a[href="/learn/c1#ex-e1"]')?.textContent).toContain('Start this exercise');
    expect(text()).toContain('1 of 4 answered');
    expect(el.querySelector('a[href="/answers/a1"]')?.textContent).toContain('Opening the call');
    expect(text()).toContain('from your coach');
    expect(text()).not.toContain('arrive here as they are added');
    // a colleague waits for the peer reviews: how many, when the first is due, a link to them
    expect(el.querySelector('a[href="/peer-reviews"]')?.textContent?.trim()).toBe('2 peer reviews to do');
    expect(text()).toMatch(/2 peer reviews to do · the first is due 5 Dec 2026, \d\d:00/);
    expect(el.querySelector('#home-coach')).toBeNull();
  });

  it('a coach: waiting and overdue figures, the oldest answers linked to their review, and an empty history', async () => {
    start({ roles: ['coach'], permissions: ['coaching.read'] } as Partial<Me>);
    http.expectOne('/api/home').flush({
      ...NONE,
      coach: {
        waiting: 7,
        overdue: 2,
        oldest: [
          {
            answerId: 'a9',
            participantId: 'p',
            participantName: 'Sam',
            groupName: 'Desk',
            courseId: 'c',
            courseTitle: 'C',
            exerciseTitle: 'Opening',
            attempt: 1,
            answerType: 'video',
            submittedAt: '2026-11-01T09:00:00Z',
            dueOn: null,
            drafted: true,
          },
        ],
        recent: [],
      },
    } satisfies HomeSummary);
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(text()).toContain('7 waiting for your feedback');
    expect(el.querySelector('.figure.error-text')?.textContent?.trim()).toBe('2');
    expect(el.querySelector('a[href="/review/a9"]')?.textContent).toContain('Sam · Opening');
    expect(text()).toContain('your draft');
    expect(text()).toContain('All 7 waiting');
    expect(text()).toContain('You have not published feedback yet.');
  });

  it('an administrator and content developer: both sections, with their empty states', async () => {
    start({
      roles: ['administrator', 'content_developer'],
      permissions: ['users.read', 'courses.author'],
    } as Partial<Me>);
    http.expectOne('/api/home').flush({
      ...NONE,
      admin: {
        expiring: [{ userId: 'u1', name: 'Kim', expiresOn: '2026-12-10' }],
        expiringTotal: 1,
        pendingKeepRequests: 0,
        withoutGroup: [],
        withoutGroupTotal: 0,
        agreement: null,
      },
      developer: {
        drafts: [],
        published: [{ courseId: 'c3', title: 'Sales', version: 2, publishedAt: '2026-11-20T12:00:00Z' }],
      },
    } satisfies HomeSummary);
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('a[href="/admin/users/u1"]')?.textContent).toContain('Kim');
    // every licence ending is listed here: no link to more of them
    expect(el.querySelector('a[href="/admin/users?licence=ending"]')).toBeNull();
    expect(el.querySelector('a[href="/admin/users?group=none"]')).toBeNull();
    expect(text()).toContain('No request to keep recordings awaits you.');
    expect(text()).toContain('Every participant is in a group.');
    expect(text()).toContain('No unpublished drafts.');
    expect(text()).toContain('version 2');
  });

  it('an administrator with more licences ending, or participants in no group, than the page lists is led to all of them', async () => {
    start({ roles: ['administrator'], permissions: ['users.read'] } as Partial<Me>);
    http.expectOne('/api/home').flush({
      ...NONE,
      admin: {
        expiring: [1, 2, 3, 4, 5].map((n) => ({ userId: `u${n}`, name: `Kim ${n}`, expiresOn: '2026-12-10' })),
        expiringTotal: 340,
        pendingKeepRequests: 0,
        withoutGroup: [1, 2, 3, 4, 5].map((n) => ({ userId: `p${n}`, name: `Noor ${n}` })),
        withoutGroupTotal: 1204,
        agreement: null,
      },
    } satisfies HomeSummary);
    await settle();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('a[href="/admin/users?licence=ending"]')?.textContent?.trim()).toBe(
      'All 340 licences ending within 30 days',
    );
    expect(el.querySelector('a[href="/admin/users?group=none"]')?.textContent?.trim()).toBe(
      'All 1,204 participants in no group',
    );
  });

  it('an administrator is told, above everything, when the agreement ends and when everything is destroyed, and led to the export', async () => {
    const admin = (agreement: { endsOn: string; destroyOn: string } | null) => ({
      ...NONE,
      admin: {
        expiring: [],
        expiringTotal: 0,
        pendingKeepRequests: 0,
        withoutGroup: [],
        withoutGroupTotal: 0,
        agreement,
      },
    });
    const day = (offset: number) => {
      const d = new Date();
      d.setDate(d.getDate() + offset);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    const shown = (iso: string) =>
      new Date(`${iso}T12:00:00`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
    start({ roles: ['administrator'], permissions: ['users.read'] } as Partial<Me>);
    // ending today: not ended yet
    http.expectOne('/api/home').flush(admin({ endsOn: day(0), destroyOn: day(45) }) satisfies HomeSummary);
    await settle();
    const el = fixture.nativeElement as HTMLElement;
    const notice = el.querySelector('section.agreement[role=alert]');
    expect(notice).not.toBeNull();
    // before the administrator's own section
    expect(el.querySelector('section.agreement + .sections')).not.toBeNull();
    expect(text()).toContain(
      `The agreement ends on ${shown(day(0))}. On ${shown(day(45))} everything of the organisation is destroyed for good`,
    );
    expect(notice?.querySelector('a[href="/admin/retention"]')?.textContent?.trim()).toBe(
      "Export the organisation's data",
    );

    // ended yesterday
    fixture.destroy();
    start({ roles: ['administrator'], permissions: ['users.read'] } as Partial<Me>);
    http.expectOne('/api/home').flush(admin({ endsOn: day(-1), destroyOn: day(44) }) satisfies HomeSummary);
    await settle();
    expect(text()).toContain(`The agreement ended on ${shown(day(-1))}. On ${shown(day(44))} everything`);

    // no end date: nothing said
    fixture.destroy();
    start({ roles: ['administrator'], permissions: ['users.read'] } as Partial<Me>);
    http.expectOne('/api/home').flush(admin(null) satisfies HomeSummary);
    await settle();
    expect((fixture.nativeElement as HTMLElement).querySelector('section.agreement')).toBeNull();
    expect(text()).not.toContain('agreement');
  });

  it('a trainee whose licence ended is told why nothing is due', async () => {
    start({ roles: ['participant'], permissions: ['courses.learn'] } as Partial<Me>);
    http.expectOne('/api/home').flush({
      ...NONE,
      participant: {
        next: null,
        due: [],
        licenceEndedOn: '2026-11-02',
        feedback: [],
        peerReviews: { toDo: 1, nextDueAt: null },
      },
    } satisfies HomeSummary);
    await settle();
    expect(text()).toContain('Your licence ended on 2 Nov 2026');
    expect(text()).not.toContain('No exercise waits for you');
    // the answers to review are not shown to a trainee whose licence ended either
    expect(text()).not.toContain('peer review');
  });

  it('a failure says so and tries again on request', async () => {
    start({ roles: ['participant'], permissions: ['courses.learn'] } as Partial<Me>);
    http
      .expectOne('/api/home')
      .flush(
        { statusCode: 503, message: 'The database is not answering' },
        { status: 503, statusText: 'Service Unavailable' },
      );
    await settle();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('could not be loaded');
    (el.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await settle();
    http.expectOne('/api/home').flush({
      ...NONE,
      participant: {
        next: null,
        due: [],
        licenceEndedOn: null,
        feedback: [],
        peerReviews: { toDo: 0, nextDueAt: null },
      },
    });
    await settle();
    expect(el.querySelector('[role="alert"]')).toBeNull();
    expect(text()).toContain('No exercise waits for you');
    expect(el.querySelector('a[href="/peer-reviews"]')).toBeNull();
  });
});
