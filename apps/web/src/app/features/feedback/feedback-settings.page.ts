import { ChangeDetectionStrategy, Component, inject, linkedSignal, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { COURSE_LANGUAGES, DEFAULT_FILLERS } from '@rehearse/shared/contracts';
import { ApiProblem, FeedbackApi, toProblem } from '@rehearse/web/data-access';
import { LoadState } from '../../core/load-state';

const LANGUAGE_NAMES: Record<string, string> = {
  en: $localize`English`,
  nl: $localize`Dutch`,
  de: $localize`German`,
  fr: $localize`French`,
  es: $localize`Spanish`,
  pt: $localize`Portuguese`,
};

/**
 * The organisation's marker tags (for time-coded comments) and filler words per language (for the
 * AI coach). One entry per line; a language left empty uses the built-in list.
 */
@Component({
  selector: 'rh-feedback-settings',
  imports: [FormsModule, LoadState, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1 i18n>Feedback settings</h1>
      <rh-load-state [of]="settings" label="Loading settings" i18n-label />
      @if (settings.hasValue()) {
        <form class="stack" (ngSubmit)="save()">
          <div class="card">
            <h2 i18n>Marker tags</h2>
            <p i18n class="muted">Coaches and peers can tag their time-coded comments with these. One per line.</p>
            <mat-form-field class="full"><mat-label i18n>Marker tags</mat-label><textarea matInput rows="6" name="tags" [(ngModel)]="tags"></textarea></mat-form-field>
          </div>
          <div class="card">
            <h2 i18n>Filler words</h2>
            <p i18n class="muted">What the AI coach counts as fillers, per language. One per line; several words are fine ("you know"). Leave a language empty for the built-in list.</p>
            @for (l of languages; track l) {
              <mat-form-field class="full">
                <mat-label>{{ names[l] }}</mat-label>
                <textarea matInput rows="3" [name]="'fillers-' + l" [(ngModel)]="fillers()[l]" [placeholder]="defaults[l].join('\\n')"></textarea>
              </mat-form-field>
            }
          </div>
          @if (problem(); as p) {
            <div class="error-text" role="alert"><p>{{ p.message }}</p>@for (f of p.fieldErrors; track f.field) { <p>{{ f.field }}: {{ f.messages.join(', ') }}</p> }</div>
          }
          @if (saved()) { <p i18n role="status">Saved. New answers are measured with these lists.</p> }
          <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Save</button></div>
        </form>
      }
    </section>
  `,
  styles: `.full { width: 100%; }`,
})
export class FeedbackSettingsPage {
  private readonly api = inject(FeedbackApi);
  protected readonly languages = COURSE_LANGUAGES;
  protected readonly names = LANGUAGE_NAMES;
  protected readonly defaults = DEFAULT_FILLERS;
  protected readonly settings = rxResource({ stream: () => this.api.settings() });
  /** the form, from the settings as loaded (and as saved) */
  protected readonly tags = linkedSignal(() =>
    this.settings.hasValue() ? this.settings.value().markerTags.join('\n') : '',
  );
  protected readonly fillers = linkedSignal<Record<string, string>>(() => {
    const s = this.settings.hasValue() ? this.settings.value() : null;
    return Object.fromEntries(COURSE_LANGUAGES.map((l) => [l, (s?.fillers[l] ?? []).join('\n')]));
  });
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly problem = signal<ApiProblem | null>(null);

  async save(): Promise<void> {
    const lines = (s: string) =>
      s
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean);
    this.busy.set(true);
    this.saved.set(false);
    this.problem.set(null);
    try {
      const fillers = Object.fromEntries(
        Object.entries(this.fillers())
          .map(([l, v]) => [l, lines(v)])
          .filter(([, v]) => v.length),
      );
      const s = await firstValueFrom(this.api.saveSettings({ markerTags: lines(this.tags()), fillers }));
      this.tags.set(s.markerTags.join('\n'));
      this.saved.set(true);
    } catch (e) {
      this.problem.set(toProblem(e));
    } finally {
      this.busy.set(false);
    }
  }
}
