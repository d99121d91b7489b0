import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { GroupDetail } from '@rehearse/shared/contracts';
import { CoachingPage } from './coaching.page';
import { settle } from '../../../testing/page-testing';

const group = (id: string, name: string, participant: string): GroupDetail => ({
  id,
  name,
  description: '',
  participantCount: 1,
  coachCount: 1,
  members: [{ userId: `${id}-p`, name: participant, email: `${id}@example.test`, role: 'participant' }],
});

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
    http.expectOne('/api/coaching/groups/g1').flush(group('g1', 'North', 'Nina'));
    http.expectOne('/api/coaching/groups/g1/courses').flush([]);
    await settle();
    button('Progress').click();
    await settle();
    const slowProgress = http.expectOne((r) => r.url.startsWith('/api/coaching/groups/g1/participants/'));
    // another group before North's participant's progress came: that answer is dropped
    button('South').click();
    await settle();
    const slowGroup = http.expectOne('/api/coaching/groups/g2');
    http.expectOne('/api/coaching/groups/g2/courses').flush([]);
    slowGroup.flush(group('g2', 'South', 'Sam'));
    // North's participant's progress, late: not shown under South
    if (!slowProgress.cancelled) slowProgress.flush({ userId: 'g1-p', name: 'Nina', courses: [] });
    await settle();
    expect(el.querySelector('.card h2')?.textContent).toContain('South');
    expect(el.textContent).toContain('Sam');
    expect(el.textContent).not.toContain('Nina');
    expect(el.textContent).not.toContain('Progress of');
  });
});
