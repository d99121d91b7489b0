import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpErrorResponse } from '@angular/common/http';
import { LoadState, type Reloadable, worthRetrying } from './load-state';

/** A resource that failed with the API's answer of `status`. */
function failedWith(status: number, message: string, body: object = {}) {
  const reload = jasmine.createSpy('reload').and.returnValue(true);
  const error = new HttpErrorResponse({ status, error: { code: 'x', message, ...body } });
  const resource = {
    status: signal('error' as const),
    error: signal(error),
    hasValue: () => false,
    value: signal(undefined),
    isLoading: signal(false),
    reload,
  } as unknown as Reloadable<unknown>;
  return { resource, reload };
}

describe('LoadState', () => {
  const open = async (status: number, message: string, notFound: string | null = null, body: object = {}) => {
    await TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }).compileComponents();
    const fixture = TestBed.createComponent(LoadState);
    const { resource, reload } = failedWith(status, message, body);
    fixture.componentRef.setInput('of', resource);
    fixture.componentRef.setInput('label', 'Loading');
    fixture.componentRef.setInput('notFound', notFound);
    fixture.detectChanges();
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    return { el, reload, retry: () => el.querySelector('button') };
  };

  it("offers to try again where asking again could be answered otherwise: the server's trouble, the connection", async () => {
    const { el, reload, retry } = await open(503, 'The database is not answering');
    expect(el.textContent).toContain('The database is not answering');
    retry()?.click();
    expect(reload).toHaveBeenCalled();
    TestBed.resetTestingModule();
    expect((await open(0, 'No connection')).retry()).not.toBeNull();
  });

  it('a refusal stands: its reason, and no "Try again" that would only be refused again', async () => {
    const { el, retry } = await open(409, 'This exercise does not take feedback from coaches');
    expect(el.textContent).toContain('This exercise does not take feedback from coaches');
    expect(retry()).toBeNull();
    TestBed.resetTestingModule();
    const missing = await open(404, 'Not found', 'No such answer.');
    expect(missing.el.textContent).toContain('No such answer.');
    expect(missing.retry()).toBeNull();
  });

  it('says the page’s “no such …” for an id in the address refused as malformed too (mistyped, or a link cut short), not “The request is not valid”', async () => {
    const malformed = { code: 'validation_failed', errors: [{ field: 'id', messages: ['id must be a UUID'] }] };
    const { el } = await open(400, 'The request is not valid', 'No such answer.', malformed);
    expect(el.textContent).toContain('No such answer.');
    expect(el.textContent).not.toContain('The request is not valid');
    TestBed.resetTestingModule();
    // a refusal of anything else stands as the server said it
    const other = { code: 'validation_failed', errors: [{ field: 'q', messages: ['q is too short'] }] };
    expect((await open(400, 'The request is not valid', 'No such answer.', other)).el.textContent).toContain(
      'The request is not valid',
    );
  });

  it('knows which answers are worth asking again', () => {
    expect([0, 408, 429, 500, 502, 503, 504].every((status) => worthRetrying({ status }))).toBeTrue();
    expect([400, 401, 403, 404, 409, 410, 413, 422].some((status) => worthRetrying({ status }))).toBeFalse();
  });
});
