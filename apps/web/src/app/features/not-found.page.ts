import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'rh-not-found',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<section class="page"><h1 i18n>Page not found</h1><p i18n>This page does not exist or you may not see it.</p><a i18n routerLink="/">Go to the start page</a></section>`,
})
export class NotFoundPage {}
