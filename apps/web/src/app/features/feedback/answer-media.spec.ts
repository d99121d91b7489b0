import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { AnswerMedia, mmss, spokenWordAt } from './answer-media';

describe('spokenWordAt', () => {
  const words = [
    { start: 0, end: 0.5 },
    { start: 0.5, end: 0.9 },
    { start: 1.5, end: 2 },
  ];

  it('picks the later word where two words touch', () => {
    expect(spokenWordAt(words, 0)).toBe(0);
    expect(spokenWordAt(words, 0.5)).toBe(1);
    expect(spokenWordAt(words, 0.52)).toBe(1);
  });

  it('keeps a word lit for a moment after it ends, then nothing in a gap, before the first or after the last', () => {
    expect(spokenWordAt(words, 0.93)).toBe(1);
    expect(spokenWordAt(words, 1.2)).toBe(-1);
    expect(spokenWordAt(words, -0.1)).toBe(-1);
    expect(spokenWordAt(words, 2.2)).toBe(-1);
    expect(spokenWordAt([], 1)).toBe(-1);
  });
});

describe('mmss', () => {
  it('writes minutes and seconds as the media player does (whole seconds gone by), never negative', () => {
    expect(mmss(0)).toBe('0:00');
    expect(mmss(61.6)).toBe('1:01');
    expect(mmss(10.6)).toBe('0:10');
    expect(mmss(-3)).toBe('0:00');
  });
});

describe('AnswerMedia transcript', () => {
  const RECORDING = {
    id: 'rec1',
    kind: 'audio',
    contentType: 'audio/wav',
    sizeBytes: 10,
    durationSeconds: 12,
    status: 'transcribed',
    failure: null,
    failureMessage: null,
    createdAt: '',
    transcribedAt: '',
    engine: 'whisper.cpp',
    model: 'ggml-tiny.en.bin',
  };

  it('reads as words, with spaces between them; words the recogniser was unsure of are marked; it says who transcribed and what to expect', async () => {
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
      segments: [],
      createdAt: '',
      words: [
        { start: 0.5, end: 0.9, text: 'ask', confidence: 0.9 },
        { start: 1, end: 1.4, text: 'not', confidence: 0.2 },
        { start: 1.5, end: 1.9, text: 'what', confidence: null },
      ],
    });
    await fixture.whenStable();
    fixture.detectChanges();
    const el: HTMLElement = fixture.nativeElement;
    const words = el.querySelector('.words') as HTMLElement;
    expect(words.textContent?.replace(/\s+/g, ' ').trim()).toBe('ask not what');
    expect(words.innerText.trim()).not.toContain('asknot');
    expect(Array.from(el.querySelectorAll('.word.unsure')).map((b) => b.textContent)).toEqual(['not']);
    expect(el.querySelector('.engine')?.textContent).toContain(
      'Whisper (ggml-tiny.en.bin): about 1 word in 16 misheard',
    );
    http.verify();
  });
});
