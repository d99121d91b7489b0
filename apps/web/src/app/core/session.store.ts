import { computed, inject, Injectable, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import type { Me, Permission } from '@rehearse/shared/contracts';
import { AuthApi } from '@rehearse/web/data-access';
import { followAccountLocale } from './locale';

/** Who is signed in, as signals. The server stays the judge of every permission. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly api = inject(AuthApi);
  readonly me = signal<Me | null>(null);
  readonly loaded = signal(false);
  readonly signedIn = computed(() => this.me() !== null);
  readonly impersonation = computed(() => this.me()?.impersonation ?? null);
  private loading: Promise<Me | null> | null = null;

  can(permission: Permission): boolean {
    return this.me()?.permissions.includes(permission) ?? false;
  }

  /** Loads the current user once (or again with force); null when nobody is signed in. */
  load(force = false): Promise<Me | null> {
    if (this.loaded() && !force) return Promise.resolve(this.me());
    if (!this.loading || force) {
      this.loading = firstValueFrom(this.api.me())
        .then(
          (me) => me,
          (e: unknown) => {
            if (e instanceof HttpErrorResponse && e.status === 401) return null;
            throw e;
          },
        )
        .then((me) => {
          // the account's language wins over this device's: the page loads again in it
          if (me && followAccountLocale(me.locale)) return new Promise<Me | null>(() => undefined);
          this.me.set(me);
          this.loaded.set(true);
          return me;
        })
        .finally(() => (this.loading = null));
    }
    return this.loading;
  }

  set(me: Me | null): void {
    if (me && followAccountLocale(me.locale)) return;
    this.me.set(me);
    this.loaded.set(true);
  }

  /** Makes sure the session has a CSRF token cookie before the first state-changing request. */
  async ensureCsrf(): Promise<void> {
    if (!document.cookie.split('; ').some((c) => c.startsWith('XSRF-TOKEN='))) await firstValueFrom(this.api.csrf());
  }
}
