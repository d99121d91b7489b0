import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AnswerMedia, mmss } from './answer-media';
import { TRANSCRIBED_RECORDING as RECORDING } from '../../../testing/recording';

describe('mmss', () => {
  it('writes minutes and seconds as the media player does (whole seconds gone by), never negative', () => {
    expect(mmss(0)).toBe('0:00');
    expect(mmss(61.6)).toBe('1:01');
    expect(mmss(10.6)).toBe('0:10');
    expect(mmss(-3)).toBe('0:00');
  });
});

describe('AnswerMedia transcript', () => {
  const WORDS = [
    { start: 0.5, end: 0.9, text: 'ask', confidence: 0.9 },
    { start: 1, end: 1.4, text: 'not', confidence: 0.2 },
    { start: 1.5, end: 1.9, text: 'what', confidence: null },
  ];
  async function render(words = WORDS) {
    await TestBed.configureTestingModule({
      imports: [AnswerMedia],
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting()],
    }).compileComponents();
    const fixture = TestBed.createComponent(AnswerMedia);
    fixture.componentRef.setInput('recording', RECORDING);
    const http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    http.expectOne('/api/recordings/rec1/transcript').flush({
      recordingId: 'rec1',
      engine: 'whisper.cpp',
      model: 'ggml-tiny.en.bin',
      language: 'en',
      text: 'ask not what',
      noSpeech: false,
      audioSeconds: 12,
      segments: [
        { start: 0.4, end: 1.45, text: 'ask not' },
        { start: 1.45, end: 2, text: 'what' },
      ],
      createdAt: '',
      words,
    });
    await fixture.whenStable();
    fixture.detectChanges();
    return fixture;
  }

  it('reads as words, with spaces between them; words the recogniser was unsure of are marked; it says who transcribed and what to expect', async () => {
    const fixture = await render();
    const http = TestBed.inject(HttpTestingController);
    const el: HTMLElement = fixture.nativeElement;
    const words = el.querySelector('.words') as HTMLElement;
    expect(words.textContent?.replace(/\s+/g, ' ').trim()).toBe('ask not what');
    expect(words.innerText.trim()).not.toContain('asknot');
    expect(Array.from(el.querySelectorAll('.word.unsure')).map((b) => b.textContent)).toEqual(['not']);
    // and what the dots mean, to read (a tooltip is out of reach on a phone)
    expect(el.querySelector('.unsure-note')?.textContent).toContain(
      'Words underlined with dots: the recogniser was not sure of them.',
    );
    // a button per passage (a few keyboard stops, each a large target), named by its words
    const passages = Array.from(words.querySelectorAll<HTMLElement>('.passage[role=button]'));
    expect(passages.map((b) => b.textContent?.trim())).toEqual(['ask not', 'what']);
    expect(passages.map((b) => b.tabIndex)).toEqual([0, 0]);
    // drawn as running text: a passage continues the line the one before it ended on (a box of its
    // own, as a <button> is, began a new line and broke a sentence the engine had cut in two)
    expect(passages.map((b) => getComputedStyle(b).display)).toEqual(['inline', 'inline']);
    expect(el.querySelector('.engine')?.textContent).toContain(
      'Whisper (ggml-tiny.en.bin): about 1 word in 16 misheard',
    );
    http.verify();
  });

  it('says nothing of dotted words where there are none', async () => {
    const fixture = await render(WORDS.map((w) => ({ ...w, confidence: 0.9 })));
    expect((fixture.nativeElement as HTMLElement).querySelector('.unsure-note')).toBeNull();
  });

  it('plays from the word clicked, and from the start of its passage on Enter or Space (or a click on the passage itself)', async () => {
    const fixture = await render();
    const el: HTMLElement = fixture.nativeElement;
    const media = fixture.componentInstance;
    (el.querySelectorAll('.word')[1] as HTMLElement).click();
    expect(media.time()).toBe(1);
    const passages = el.querySelectorAll<HTMLElement>('.passage[role=button]');
    passages[1].click();
    expect(media.time()).toBe(1.45);
    // the keys of a button: Enter and Space on a passage play from its start (Space scrolls nothing)
    passages[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(media.time()).toBe(0.4);
    const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
    passages[1].dispatchEvent(space);
    expect(media.time()).toBe(1.45);
    expect(space.defaultPrevented).toBeTrue();
    // the word being spoken is the one highlighted
    media.time.set(1.6);
    fixture.detectChanges();
    expect(el.querySelector('.word.current')?.textContent).toBe('what');
  });
});
