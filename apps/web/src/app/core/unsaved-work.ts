import { DestroyRef, inject, InjectionToken } from '@angular/core';
import type { CanDeactivateFn } from '@angular/router';

/** A page that may hold work not yet on the server (a course being edited, a comment being written). */
export interface HoldsUnsavedWork {
  hasUnsavedWork(): boolean;
}

/** What leaving such a page asks first. */
export function leaveUnsavedQuestion(): string {
  return $localize`You have changes that are not saved yet. Leave this page and lose them?`;
}

/**
 * Leaving a page with unsaved work inside the app (a link, Back): asked first, and staying is the
 * answer to anything but OK. `ask` is the browser's confirm (tests give their own).
 */
export function unsavedWorkGuard(
  ask: (question: string) => boolean = (q) => window.confirm(q),
): CanDeactivateFn<HoldsUnsavedWork> {
  return (page) => !page?.hasUnsavedWork() || ask(leaveUnsavedQuestion());
}

/** Where the tab's closing is heard: the window (tests give a target of their own, as Karma takes a
 * `beforeunload` on its window for a test that reloaded the page). */
export const UNLOAD_TARGET = new InjectionToken<EventTarget>('UNLOAD_TARGET', { factory: () => window });

/**
 * Closing or reloading the tab with unsaved work: the browser asks (in its own words) whether to
 * leave. Call it in an injection context; the listener ends with the page.
 */
export function warnBeforeUnload(hasUnsavedWork: () => boolean): void {
  const listener = (event: BeforeUnloadEvent) => {
    if (!hasUnsavedWork()) return;
    event.preventDefault();
    // (older browsers ask only when a value is set)
    event.returnValue = '';
  };
  const target = inject(UNLOAD_TARGET);
  target.addEventListener('beforeunload', listener as EventListener);
  inject(DestroyRef).onDestroy(() => target.removeEventListener('beforeunload', listener as EventListener));
}
