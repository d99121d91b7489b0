import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { RecordingPlayer } from './recording-player';
import { TRANSCRIBED_RECORDING as RECORDING } from '../../../testing/recording';

describe('RecordingPlayer transcript', () => {
  async function render() {
    await TestBed.configureTestingModule({
      imports: [RecordingPlayer],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const fixture = TestBed.createComponent(RecordingPlayer);
    fixture.componentRef.setInput('recording', RECORDING);
    const http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    // the engine's segments as Whisper writes them: a sentence cut in two, a space in front of each
    http.expectOne('/api/recordings/rec1/transcript').flush({
      recordingId: 'rec1',
      engine: 'whisper.cpp',
      model: 'ggml-tiny.en.bin',
      language: 'en',
      text: 'I am sorry your order is late again.',
      noSpeech: false,
      audioSeconds: 12,
      segments: [
        { start: 0.5, end: 2.1, text: ' I am sorry your order' },
        { start: 2.1, end: 3.4, text: ' is late again.' },
      ],
      createdAt: '',
      words: [],
    });
    await fixture.whenStable();
    fixture.detectChanges();
    const player = fixture.componentInstance;
    const seeks: number[] = [];
    spyOn(player, 'seek').and.callFake((t: number) => void seeks.push(t));
    return { el: fixture.nativeElement as HTMLElement, seeks };
  }

  it('reads as one text: a passage continues the line the one before it ended on, a space between them', async () => {
    const { el } = await render();
    const transcript = el.querySelector('.transcript') as HTMLElement;
    expect(transcript.innerText.replace(/\s+/g, ' ').trim()).toBe('I am sorry your order is late again.');
    const passages = Array.from(transcript.querySelectorAll<HTMLElement>('.segment[role=button]'));
    expect(passages.length).toBe(2);
    // drawn as running text, not a box each (a <button> began a new line at every passage)
    expect(passages.map((p) => getComputedStyle(p).display)).toEqual(['inline', 'inline']);
    expect(passages.map((p) => p.tabIndex)).toEqual([0, 0]);
    expect(passages[0].getAttribute('aria-label')).toBe('I am sorry your order (play from 0.5 seconds)');
  });

  it('plays from a passage on a click, Enter or Space (Space scrolls nothing)', async () => {
    const { el, seeks } = await render();
    const passages = el.querySelectorAll<HTMLElement>('.segment[role=button]');
    passages[1].click();
    passages[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    passages[1].dispatchEvent(space);
    expect(seeks).toEqual([2.1, 0.5, 2.1]);
    expect(space.defaultPrevented).toBeTrue();
  });
});
