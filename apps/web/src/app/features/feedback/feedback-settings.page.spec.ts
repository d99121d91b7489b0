import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { FeedbackSettingsPage } from './feedback-settings.page';
import { button, settle } from '../../../testing/page-testing';

describe('FeedbackSettingsPage', () => {
  let fixture: ComponentFixture<FeedbackSettingsPage>;
  let http: HttpTestingController;
  let el: HTMLElement;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [FeedbackSettingsPage],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(FeedbackSettingsPage);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
  });
  afterEach(() => http.verify());

  it('fills the form from the settings and saves the lists one per line', async () => {
    http
      .expectOne('/api/admin/feedback-settings')
      .flush({ markerTags: ['Empathy', 'Next step'], fillers: { en: ['um', 'you know'] } });
    await settle();
    const tags = el.querySelector<HTMLTextAreaElement>('textarea[name=tags]')!;
    expect(tags.value).toBe('Empathy\nNext step');
    expect(el.querySelector<HTMLTextAreaElement>('textarea[name=fillers-en]')!.value).toBe('um\nyou know');
    tags.value = 'Empathy\n\n  Tone  ';
    tags.dispatchEvent(new Event('input'));
    await settle();
    el.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    const req = http.expectOne('/api/admin/feedback-settings');
    expect(req.request.method).toBe('PUT');
    expect(req.request.body).toEqual({ markerTags: ['Empathy', 'Tone'], fillers: { en: ['um', 'you know'] } });
    req.flush({ markerTags: ['Empathy', 'Tone'], fillers: { en: ['um', 'you know'] } });
    await settle();
    expect(el.textContent).toContain('Saved.');
  });

  it('says why the settings did not load and tries again', async () => {
    http
      .expectOne('/api/admin/feedback-settings')
      .flush(
        { statusCode: 503, code: 'unavailable', message: 'Try again in a moment' },
        { status: 503, statusText: 'x' },
      );
    await settle();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('Try again in a moment');
    button(el, 'Try again').click();
    await settle();
    http.expectOne('/api/admin/feedback-settings').flush({ markerTags: [], fillers: {} });
    await settle();
    expect(el.querySelector('textarea[name=tags]')).not.toBeNull();
  });
});
