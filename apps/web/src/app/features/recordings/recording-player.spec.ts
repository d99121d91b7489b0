import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { RecordingPlayer } from './recording-player';
import { TRANSCRIBED_RECORDING as RECORDING } from '../../../testing/recording';
import { NOW, SessionTimeout } from '../../core/session-timeout';
import { SessionStore } from '../../core/session.store';
import { ME } from '../../core/session.store.spec';

describe('RecordingPlayer transcript', () => {
  async function render(words: { start: number; end: number; text: string; confidence: number | null }[] = []) {
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
      words,
    });
    await fixture.whenStable();
    fixture.detectChanges();
    const player = fixture.componentInstance;
    const seeks: number[] = [];
    spyOn(player, 'seek').and.callFake((t: number) => void seeks.push(t));
    return { el: fixture.nativeElement as HTMLElement, seeks, player, fixture };
  }

  it('tells the session timeout of the video loading: its range requests keep the session too', async () => {
    let now = Date.parse('2026-12-08T09:00:00Z');
    TestBed.overrideProvider(NOW, { useValue: () => now });
    const { el } = await render();
    const timeout = TestBed.inject(SessionTimeout);
    TestBed.inject(SessionStore).set({ ...ME, session: { idleMinutes: 30, endsAt: '2099-01-01T00:00:00.000Z' } });
    const before = timeout.idleEndsAt()!;
    now += 10 * 60_000;
    el.querySelector('video, audio')!.dispatchEvent(new Event('progress'));
    expect(timeout.idleEndsAt()).toBe(before + 10 * 60_000);
  });

  it('reads as one text: a passage continues the line the one before it ended on, a space between them', async () => {
    const { el } = await render();
    const transcript = el.querySelector('.words') as HTMLElement;
    expect(transcript.innerText.replace(/\s+/g, ' ').trim()).toBe('I am sorry your order is late again.');
    const passages = Array.from(transcript.querySelectorAll<HTMLElement>('.passage[role=button]'));
    expect(passages.length).toBe(2);
    // drawn as running text, not a box each (a <button> began a new line at every passage)
    expect(passages.map((p) => getComputedStyle(p).display)).toEqual(['inline', 'inline']);
    expect(passages.map((p) => p.tabIndex)).toEqual([0, 0]);
    expect(passages[0].getAttribute('aria-label')).toBe('I am sorry your order (play from 0.5 seconds)');
  });

  it('plays from a passage on a click, Enter or Space (Space scrolls nothing)', async () => {
    const { el, seeks } = await render();
    const passages = el.querySelectorAll<HTMLElement>('.passage[role=button]');
    passages[1].click();
    passages[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    passages[1].dispatchEvent(space);
    expect(seeks).toEqual([2.1, 0.5, 2.1]);
    expect(space.defaultPrevented).toBeTrue();
  });

  // the recording a search leads to, and a trainee's own answer in a course, read as the review and the feedback do
  const WORDS = [
    { start: 0.5, end: 0.7, text: 'I', confidence: 0.9 },
    { start: 0.7, end: 0.9, text: 'am', confidence: 0.9 },
    { start: 0.9, end: 1.4, text: 'sorry', confidence: 0.95 },
    { start: 1.4, end: 1.7, text: 'your', confidence: 0.3 },
    { start: 1.7, end: 2.1, text: 'order', confidence: 0.9 },
    { start: 2.3, end: 2.4, text: 'is', confidence: 0.9 },
    { start: 2.4, end: 2.8, text: 'late', confidence: 0.9 },
    { start: 2.8, end: 3.4, text: 'again.', confidence: null },
  ];

  it('marks the words the recogniser was unsure of, and says what the dots mean and who transcribed it', async () => {
    const { el } = await render(WORDS);
    expect(Array.from(el.querySelectorAll('.word.unsure')).map((w) => w.textContent)).toEqual(['your']);
    expect(el.querySelector('.word.unsure')?.getAttribute('title')).toBe('The recogniser was not sure of this word');
    expect(el.querySelector('.unsure-note')?.textContent).toContain(
      'Words underlined with dots: the recogniser was not sure of them.',
    );
    expect(el.querySelector('.engine')?.textContent).toContain('Whisper (ggml-tiny.en.bin)');
    const transcript = el.querySelector('.words') as HTMLElement;
    expect(transcript.innerText.replace(/\s+/g, ' ').trim()).toBe('I am sorry your order is late again.');
  });

  it('plays from the word clicked, and highlights the word being spoken', async () => {
    const { el, seeks, player, fixture } = await render(WORDS);
    el.querySelectorAll<HTMLElement>('.word')[6].click();
    expect(seeks).toEqual([2.4]);
    player.time.set(1.5);
    fixture.detectChanges();
    expect(el.querySelector('.word.current')?.textContent).toBe('your');
    // none between two words
    player.time.set(2.2);
    fixture.detectChanges();
    expect(el.querySelector('.word.current')).toBeNull();
  });
});
