import { deviceProblem, recorderMimeType } from './recorder';
import { snippetParts } from './transcript-search.page';

describe('recorder helpers', () => {
  it('records video as WebM when the browser can, audio only for audio exercises', () => {
    const chromium = (t: string) => t.startsWith('video/webm') || t.startsWith('audio/webm');
    expect(recorderMimeType(false, chromium)).toBe('video/webm;codecs=vp9,opus');
    expect(recorderMimeType(true, chromium)).toBe('audio/webm;codecs=opus');
    const safari = (t: string) => t === 'video/mp4' || t === 'audio/mp4';
    expect(recorderMimeType(false, safari)).toBe('video/mp4');
    expect(recorderMimeType(true, safari)).toBe('audio/mp4');
    expect(recorderMimeType(false, () => false)).toBe('');
  });

  it('explains denied permission and missing devices in words a trainee can act on', () => {
    expect(deviceProblem({ name: 'NotAllowedError' })).toMatch(/denied.*Allow it/);
    expect(deviceProblem({ name: 'NotFoundError' })).toMatch(/No camera or microphone/);
    expect(deviceProblem({ name: 'NotReadableError' })).toMatch(/in use by another application/);
    expect(deviceProblem(new Error('x'))).toMatch(/could not be started/);
  });

  it('splits a search snippet into text and matches without interpreting markup', () => {
    expect(snippetParts('ask «not» what <b>your</b> «country»')).toEqual([
      { text: 'ask ', match: false },
      { text: 'not', match: true },
      { text: ' what <b>your</b> ', match: false },
      { text: 'country', match: true },
    ]);
    expect(snippetParts('')).toEqual([]);
  });
});
