import { Component, provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { UNLOAD_TARGET, unsavedWorkGuard, warnBeforeUnload } from './unsaved-work';

@Component({ selector: 'rh-test-page', template: '' })
class PageWithWork {
  readonly unsaved = signal(false);
  constructor() {
    warnBeforeUnload(() => this.unsaved());
  }
  hasUnsavedWork(): boolean {
    return this.unsaved();
  }
}

describe('unsaved work', () => {
  const leave = (page: PageWithWork, ask: (q: string) => boolean) =>
    unsavedWorkGuard(ask)(page, {} as ActivatedRouteSnapshot, {} as RouterStateSnapshot, {} as RouterStateSnapshot);
  // the tab's closing, heard on a target of the test's own (Karma takes one on its window for a reload)
  let tab: EventTarget;
  const unload = () => {
    const event = new Event('beforeunload', { cancelable: true });
    tab.dispatchEvent(event);
    return event.defaultPrevented;
  };

  beforeEach(() => {
    tab = new EventTarget();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: UNLOAD_TARGET, useValue: tab }],
    });
  });

  it('lets a page without unsaved work go at once, and asks before one with it goes', () => {
    const page = TestBed.createComponent(PageWithWork).componentInstance;
    const ask = jasmine.createSpy('ask').and.returnValue(false);
    expect(leave(page, ask)).toBeTrue();
    expect(ask).not.toHaveBeenCalled();
    page.unsaved.set(true);
    expect(leave(page, ask)).toBeFalse();
    expect(ask).toHaveBeenCalledWith('You have changes that are not saved yet. Leave this page and lose them?');
    expect(leave(page, () => true)).toBeTrue();
  });

  it('has the browser ask before the tab closes or reloads with unsaved work, and stops asking once the page is gone', () => {
    const fixture = TestBed.createComponent(PageWithWork);
    expect(unload()).toBeFalse();
    fixture.componentInstance.unsaved.set(true);
    expect(unload()).toBeTrue();
    fixture.destroy();
    expect(unload()).toBeFalse();
  });
});
