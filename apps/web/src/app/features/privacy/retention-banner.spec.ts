import { formatDate } from '@angular/common';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import type { Me, MyRetention } from '@rehearse/shared/contracts';
import { SessionStore } from '../../core/session.store';
import { RetentionBanner } from './retention-banner';

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
/** a date as the page writes it in English ("9 Dec 2026") */
const shown = (iso: string) => formatDate(iso, 'mediumDate', 'en-GB');
const status = (s: Partial<MyRetention>): MyRetention => ({
  licenceExpiresOn: null,
  hidden: false,
  deletionDueOn: null,
  noticeSentAt: null,
  mayAskToKeep: false,
  keep: null,
  keepPolicy: 'approval',
  recordings: 2,
  mediaDeletedAt: null,
  receiptId: null,
  ...s,
});

describe('RetentionBanner', () => {
  let fixture: ComponentFixture<RetentionBanner>;
  let http: HttpTestingController;

  async function show(s: MyRetention): Promise<string> {
    TestBed.inject(SessionStore).set({
      id: 'me',
      name: 'Rik',
      roles: ['participant'],
      permissions: ['courses.learn'],
    } as unknown as Me);
    fixture = TestBed.createComponent(RetentionBanner);
    fixture.detectChanges();
    await fixture.whenStable();
    http.expectOne('/api/my/retention').flush(s);
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    return ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [RetentionBanner],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('warns ahead of time when the licence ends within 30 days', async () => {
    const text = await show(status({ licenceExpiresOn: inDays(9) }));
    expect(text).toContain(`Your licence ends on ${shown(inDays(9))} (in 9 days)`);
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="status"]')).not.toBeNull();
  });

  it('says nothing while the end is further away', async () => {
    expect(await show(status({ licenceExpiresOn: inDays(60) }))).toBe('');
  });

  it('says what an ended licence means', async () => {
    const text = await show(status({ licenceExpiresOn: inDays(-32), hidden: true, deletionDueOn: inDays(13) }));
    expect(text).toContain('your answers and feedback are hidden');
    expect(text).toContain(`Your recordings will be deleted on ${shown(inDays(13))}`);
  });
});
