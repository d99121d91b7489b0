import { Component, provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { MediaTrouble } from './media-trouble';

@Component({
  imports: [MediaTrouble],
  template: `<video #media preload="none"></video><rh-media-trouble [media]="media" [recordingId]="'rec 1'" />`,
})
class Host {}

describe('MediaTrouble', () => {
  let fixture: ComponentFixture<Host>;
  let http: HttpTestingController;
  let el: HTMLElement;
  let video: HTMLVideoElement;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await fixture.whenStable();
  };
  const alert = () => el.querySelector('[role=alert]')?.textContent?.replace(/\s+/g, ' ').trim() ?? null;
  /** the player fails; the component asks the API for the recording's first byte */
  const fail = async () => {
    video.dispatchEvent(new Event('error'));
    await settle();
    const probe = http.expectOne('/api/recordings/rec%201/content');
    expect(probe.request.method).toBe('GET');
    expect(probe.request.headers.get('Range')).toBe('bytes=0-0');
    return probe;
  };

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [Host],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    fixture = TestBed.createComponent(Host);
    http = TestBed.inject(HttpTestingController);
    el = fixture.nativeElement;
    fixture.detectChanges();
    await settle();
    video = el.querySelector('video') as HTMLVideoElement;
  });

  afterEach(() => http.verify());

  it('says nothing while the player works', () => {
    expect(alert()).toBeNull();
  });

  it("tells the API's own reason when it refuses the recording", async () => {
    const probe = await fail();
    probe.flush(JSON.stringify({ code: 'internal', message: 'Something went wrong on our side (reference 7f3a).' }), {
      status: 500,
      statusText: 'Internal Server Error',
    });
    await settle();
    expect(alert()).toContain('The recording could not be loaded: Something went wrong on our side (reference 7f3a).');
  });

  it('gives the status where the refusal is not the API’s (a proxy’s page)', async () => {
    const probe = await fail();
    probe.flush('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await settle();
    expect(alert()).toContain('The recording could not be loaded: The server answered 502.');
  });

  it('says the browser cannot play it when the API serves it', async () => {
    const probe = await fail();
    probe.flush('x', { status: 206, statusText: 'Partial Content' });
    await settle();
    expect(alert()).toContain('This browser cannot play the recording.');
  });

  it('tries again: the message goes and the player loads anew', async () => {
    const probe = await fail();
    probe.flush('x', { status: 206, statusText: 'Partial Content' });
    await settle();
    const load = spyOn(video, 'load');
    (
      Array.from(el.querySelectorAll('button')).find((b) => /Try again/.test(b.textContent ?? '')) as HTMLButtonElement
    ).click();
    await settle();
    expect(load).toHaveBeenCalled();
    expect(alert()).toBeNull();
  });
});
