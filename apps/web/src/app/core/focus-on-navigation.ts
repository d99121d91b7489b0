import { DOCUMENT } from '@angular/common';
import { DestroyRef, EnvironmentProviders, inject, provideAppInitializer } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter } from 'rxjs';

/**
 * After a link is followed within the app, keyboard focus moves to the page's main content
 * (`<main id="main" tabindex="-1">`), as it does when a browser loads a new page: without it focus
 * stays on the link followed (the menu's, outside the page) or falls to the document, and a
 * screen reader says nothing of the new page (angular.dev's accessibility guide: focus management
 * after navigation). Focus already in the main content stays (a field the page focuses itself, a
 * filter that changed only the address's query), and so does focus in a dialog the page opened;
 * the first page loaded is left to the browser.
 */
export function provideFocusOnNavigation(): EnvironmentProviders {
  return provideAppInitializer(() => {
    const router = inject(Router);
    const document = inject(DOCUMENT);
    let pages = 0;
    const subscription = router.events
      .pipe(filter((e): e is NavigationEnd => e instanceof NavigationEnd))
      .subscribe(() => {
        if (pages++ === 0) return;
        // after the new page is drawn (the router's scrolling waits the same way), and after a menu
        // that closed on the navigation has given focus back to its button
        setTimeout(() =>
          requestAnimationFrame(() => {
            const main = document.getElementById('main');
            const at = document.activeElement;
            // not away from a dialog or menu the new page has opened (they live outside the page)
            if (!main || main.contains(at) || at?.closest('.cdk-overlay-container')) return;
            main.focus({ preventScroll: true });
          }),
        );
      });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  });
}
