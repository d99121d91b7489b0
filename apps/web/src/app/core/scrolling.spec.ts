import { ApplicationRef, Component } from '@angular/core';
import { Location, ViewportScroller } from '@angular/common';
import { Router, RouterOutlet } from '@angular/router';
import { bootstrapPeopleApp, drawn } from '../../testing/page-testing';
import { routerScrolling } from '../app.config';
import { setQuery } from './forget-query';

@Component({ template: '' })
class SomePage {}

@Component({ selector: 'rh-scrolling-root', imports: [RouterOutlet], template: '<router-outlet />' })
class Root {}

describe("the router's scrolling", () => {
  let scroller: jasmine.SpyObj<ViewportScroller>;
  let router: Router;
  let location: Location;
  let close: () => void;

  beforeEach(async () => {
    scroller = jasmine.createSpyObj<ViewportScroller>('ViewportScroller', [
      'setHistoryScrollRestoration',
      'getScrollPosition',
      'scrollToPosition',
      'scrollToAnchor',
      'setOffset',
    ]);
    // the reader is far down the page
    scroller.getScrollPosition.and.returnValue([0, 1800]);
    let app: ApplicationRef;
    ({ app, router, close } = await bootstrapPeopleApp(
      Root,
      SomePage,
      [{ provide: ViewportScroller, useValue: scroller }],
      [routerScrolling],
    ));
    location = app.injector.get(Location);
    scroller.scrollToPosition.calls.reset();
  });

  afterEach(() => close());

  it('opens a page reached by a link at its top', async () => {
    await router.navigateByUrl('/people/42');
    await drawn();
    expect(scroller.scrollToPosition).toHaveBeenCalledOnceWith([0, 0]);
  });

  it('returns to where a page was left on Back', async () => {
    await router.navigateByUrl('/people/42');
    await drawn();
    scroller.scrollToPosition.calls.reset();
    location.back();
    await drawn();
    expect(router.url).toBe('/people');
    expect(scroller.scrollToPosition).toHaveBeenCalledOnceWith([0, 1800], jasmine.anything());
  });

  it('leaves a page where it is when only its filters in the address change', async () => {
    expect(await setQuery(router, null, { licence: 'ending' })).toBeTrue();
    await drawn();
    expect(router.url).toBe('/people?licence=ending');
    expect(scroller.scrollToPosition).not.toHaveBeenCalled();
  });
});
