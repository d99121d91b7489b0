/* Helpers for the pages' Karma tests (not part of the app: tsconfig.app.json leaves src/testing out). */
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
