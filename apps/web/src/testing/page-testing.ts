/* Helpers for the pages' Karma tests (not part of the app: tsconfig.app.json leaves src/testing out). */
import { HttpTestingController, TestRequest } from '@angular/common/http/testing';
import {
  ApplicationRef,
  EnvironmentProviders,
  Provider,
  Type,
  provideZonelessChangeDetection,
  reflectComponentType,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { createApplication } from '@angular/platform-browser';
import { NavigationEnd, provideRouter, Router, RouterFeatures } from '@angular/router';
import { filter, firstValueFrom } from 'rxjs';

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

/**
 * An application bootstrapped as main.ts does, with a router over `/people` and `/people/:id`
 * (what starts with the bootstrap, such as the router's scrolling, starts), its `root` component
 * in an element of its own on the page, at `/people`. `close()` takes both away.
 */
export async function bootstrapPeopleApp(
  root: Type<unknown>,
  page: Type<unknown>,
  providers: (Provider | EnvironmentProviders)[],
  routerFeatures: RouterFeatures[] = [],
): Promise<{ app: ApplicationRef; router: Router; host: HTMLElement; close(): void }> {
  const app = await createApplication({
    providers: [
      provideZonelessChangeDetection(),
      provideRouter(
        [
          { path: 'people', component: page },
          { path: 'people/:id', component: page },
        ],
        ...routerFeatures,
      ),
      ...providers,
    ],
  });
  const host = document.createElement(reflectComponentType(root)?.selector ?? 'rh-test-root');
  document.body.appendChild(host);
  app.bootstrap(root, host);
  const router = app.injector.get(Router);
  await router.navigateByUrl('/people');
  await drawn();
  return {
    app,
    router,
    host,
    close: () => {
      app.destroy();
      host.remove();
    },
  };
}

/**
 * The page the router went to drawn, and what the router and the app do after it (a timer, then a
 * frame): a moment, then the next frame (the frame callbacks asked for before ours run before
 * ours), then a timer. A fixed 50 ms alone was not enough on a busy machine: a frame came later,
 * and a CI run saw focus still on the link followed.
 */
export async function drawn(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => requestAnimationFrame(r));
  await new Promise((r) => setTimeout(r));
}

/** Resolves when the router has finished its next navigation (ask before starting it). */
export function navigated(router: Router): Promise<unknown> {
  return firstValueFrom(router.events.pipe(filter((e) => e instanceof NavigationEnd)));
}
