/* Helpers for the pages' Karma tests (not part of the app: tsconfig.app.json leaves src/testing out). */
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

/**
 * Lets time pass and change detection run. A page's data is a resource, a pending task until its
 * request is answered, so `fixture.whenStable()` would wait for the test itself.
 */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 5));
    TestBed.tick();
  }
}

/** The button whose text contains `text` (the test fails with its name when there is none). */
export function button(el: HTMLElement, text: string): HTMLButtonElement {
  const found = Array.from(el.querySelectorAll('button')).find((b) => b.textContent?.includes(text));
  if (!found) throw new Error(`no button "${text}" on the page`);
  return found;
}

/**
 * The one request matching `match`, once the page has sent it: time passes and change detection
 * runs until it is there, for up to `ms`. For a request that follows other asynchronous work (a
 * file read first): a fixed wait before `expectOne` fails on a busy machine.
 */
export async function sentRequest(
  http: HttpTestingController,
  match: Parameters<HttpTestingController['match']>[0],
  what: string,
  ms = 5000,
): Promise<TestRequest> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = http.match(match);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new Error(`${found.length} requests for ${what}, not one`);
    if (Date.now() > deadline) throw new Error(`no request for ${what} within ${ms} ms`);
    await settle(1);
  }
}
