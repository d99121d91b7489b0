import { Component } from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { bootstrapPeopleApp, drawn, navigated } from '../../testing/page-testing';
import { provideFocusOnNavigation } from './focus-on-navigation';
import { setQuery } from './forget-query';

@Component({ selector: 'rh-focus-page', template: '<input />' })
class SomePage {}

@Component({
  selector: 'rh-focus-root',
  imports: [RouterOutlet, RouterLink],
  template: `<nav><a i18n routerLink="/people/42">Someone</a></nav><main id="main" tabindex="-1"><router-outlet /></main>`,
})
class Root {}

describe('focus after a link is followed', () => {
  let router: Router;
  let host: HTMLElement;
  let close: () => void;

  beforeEach(async () => {
    ({ router, host, close } = await bootstrapPeopleApp(Root, SomePage, [provideFocusOnNavigation()]));
  });

  afterEach(() => close());

  it('is left to the browser on the first page', () => {
    expect(document.activeElement).not.toBe(host.querySelector('main'));
  });

  it("moves from the menu's link to the new page's main content", async () => {
    const link = host.querySelector<HTMLAnchorElement>('nav a');
    const ended = navigated(router);
    link?.focus();
    link?.click();
    await ended;
    await drawn();
    expect(router.url).toBe('/people/42');
    expect(document.activeElement).toBe(host.querySelector('main'));
  });

  it('stays in a dialog the new page has opened', async () => {
    const overlay = document.createElement('div');
    overlay.className = 'cdk-overlay-container';
    const button = document.createElement('button');
    overlay.appendChild(button);
    document.body.appendChild(overlay);
    try {
      const done = router.navigateByUrl('/people/7');
      button.focus();
      await done;
      await drawn();
      expect(document.activeElement).toBe(button);
    } finally {
      overlay.remove();
    }
  });

  it('stays in the page where it is already (a filter that changes only the address)', async () => {
    const field = host.querySelector<HTMLInputElement>('main input');
    field?.focus();
    await setQuery(router, null, { licence: 'ending' });
    await drawn();
    expect(document.activeElement).toBe(field);
  });
});
