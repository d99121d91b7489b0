import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Group, GroupMember, Page } from '@rehearse/shared/contracts';
import { CoachingPage } from './coaching.page';
import { settle } from '../../../testing/page-testing';

const group = (id: string, name: string): Group => ({
  id,
  name,
  description: '',
  participantCount: 1,
  coachCount: 1,
});
const members = (id: string, participant: string, total = 1, page = 1): Page<GroupMember> => ({
  items: [{ userId: `${id}-p${page}`, name: participant, email: `${id}@example.test`, role: 'participant' }],
  total,
  page,
  pageSize: 25,
});
const membersOf = (id: string) => (r: { url: string }) => r.url === `/api/coaching/groups/${id}/members`;

describe('CoachingPage', () => {
  let fixture: ComponentFixture<CoachingPage>;
  let http: HttpTestingController;
  let el: HTMLElement;
  const button = (text: string) =>
    Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.trim().startsWith(text))!;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [CoachingPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    fixture = TestBed.createComponent(CoachingPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    http
      .expectOne((r) => r.url === '/api/coaching/groups')
      .flush({
        items: [
          { id: 'g1', name: 'North', description: '', participantCount: 1, coachCount: 1 },
          { id: 'g2', name: 'South', description: '', participantCount: 1, coachCount: 1 },
        ],
        total: 2,
        page: 1,
        pageSize: 100,
      });
    await settle();
  });
  afterEach(() => http.verify());

  it('shows the group clicked last, whatever order the answers come in, and no progress from the one before', async () => {
    button('North').click();
    await settle();
    http.expectOne('/api/coaching/groups/g1').flush(group('g1', 'North'));
    http.expectOne('/api/coaching/groups/g1/courses').flush([]);
    http.expectOne(membersOf('g1')).flush(members('g1', 'Nina'));
    await settle();
    button('Progress').click();
    await settle();
    const slowProgress = http.expectOne((r) => r.url.startsWith('/api/coaching/groups/g1/participants/'));
    // another group before North's participant's progress came: that answer is dropped
    button('South').click();
    await settle();
    const slowGroup = http.expectOne('/api/coaching/groups/g2');
    http.expectOne('/api/coaching/groups/g2/courses').flush([]);
    http.expectOne(membersOf('g2')).flush(members('g2', 'Sam'));
    slowGroup.flush(group('g2', 'South'));
    // North's participant's progress, late: not shown under South
    if (!slowProgress.cancelled) slowProgress.flush({ userId: 'g1-p', name: 'Nina', courses: [] });
    await settle();
    expect(el.querySelector('.card h2')?.textContent).toContain('South');
    expect(el.textContent).toContain('Sam');
    expect(el.textContent).not.toContain('Nina');
    expect(el.textContent).not.toContain('Progress of');
  });

  it("pages a large group's participants from the server: their role only, 25 at a time", async () => {
    button('North').click();
    await settle();
    http.expectOne('/api/coaching/groups/g1').flush({ ...group('g1', 'North'), participantCount: 60 });
    http.expectOne('/api/coaching/groups/g1/courses').flush([]);
    const first = http.expectOne(membersOf('g1'));
    expect(first.request.params.get('role')).toBe('participant');
    expect(first.request.params.get('page')).toBe('1');
    expect(first.request.params.get('pageSize')).toBe('25');
    first.flush(members('g1', 'Nina', 60));
    await settle();
    expect(el.textContent).toContain('Participants (60)');
    expect(el.textContent).toContain('Nina');
    el.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-next')!.click();
    await settle();
    const second = http.expectOne(membersOf('g1'));
    expect(second.request.params.get('page')).toBe('2');
    second.flush(members('g1', 'Otto', 60, 2));
    await settle();
    expect(el.textContent).toContain('Otto');
    expect(el.textContent).not.toContain('Nina');
    // another group starts on its first page
    button('South').click();
    await settle();
    http.expectOne('/api/coaching/groups/g2').flush(group('g2', 'South'));
    http.expectOne('/api/coaching/groups/g2/courses').flush([]);
    const south = http.expectOne(membersOf('g2'));
    expect(south.request.params.get('page')).toBe('1');
    south.flush(members('g2', 'Sam'));
    await settle();
  });
});
