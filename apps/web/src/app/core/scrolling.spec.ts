import { ApplicationRef, Component, provideZonelessChangeDetection } from '@angular/core';
import { Location, ViewportScroller } from '@angular/common';
import { createApplication } from '@angular/platform-browser';
import { provideRouter, Router, RouterOutlet } from '@angular/router';
import { routerScrolling } from '../app.config';
import { setQuery } from './forget-query';

@Component({ template: '' })
class SomePage {}

@Component({ selector: 'rh-scrolling-root', imports: [RouterOutlet], template: '<router-outlet />' })
class Root {}

describe("the router's scrolling", () => {
  let scroller: jasmine.SpyObj<ViewportScroller>;
  let app: ApplicationRef;
  let router: Router;
  /** the router scrolls after the new page is drawn (a timer and a frame) */
  const drawn = () => new Promise((r) => setTimeout(r, 50));

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
    // an application bootstrapped as main.ts does (the router's scrolling starts with the bootstrap)
    app = await createApplication({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter(
          [
            { path: 'people', component: SomePage },
            { path: 'people/:id', component: SomePage },
          ],
          routerScrolling,
        ),
        { provide: ViewportScroller, useValue: scroller },
      ],
    });
    const host = document.createElement('rh-scrolling-root');
    document.body.appendChild(host);
    app.bootstrap(Root, host);
    router = app.injector.get(Router);
    await router.navigateByUrl('/people');
    await drawn();
    scroller.scrollToPosition.calls.reset();
  });

  afterEach(() => app.destroy());

  it('opens a page reached by a link at its top', async () => {
    await router.navigateByUrl('/people/42');
    await drawn();
    expect(scroller.scrollToPosition).toHaveBeenCalledOnceWith([0, 0]);
  });

  it('returns to where a page was left on Back', async () => {
    await router.navigateByUrl('/people/42');
    await drawn();
    scroller.scrollToPosition.calls.reset();
    app.injector.get(Location).back();
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
