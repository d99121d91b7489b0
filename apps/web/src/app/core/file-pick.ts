import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

/**
 * A file chooser in the page's language: a button with the app's own label, and the chosen file's
 * name beside it once there is one. The browser's own control labels itself in the browser's
 * language ("Choose File", "No file chosen"), not in the person's, and looks like no other
 * control of the app. The file input stays in the page, out of sight and out of the tab order:
 * the button opens its dialog. `picked` gives the file; choosing the same file again picks it
 * again (the input is emptied after each choice).
 */
@Component({
  selector: 'rh-file-pick',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <input
      #file
      type="file"
      class="sr-only"
      tabindex="-1"
      aria-hidden="true"
      [accept]="accept()"
      [disabled]="disabled()"
      (change)="changed(file)"
    />
    <button mat-stroked-button type="button" [disabled]="disabled()" (click)="file.click()">{{ label() }}</button>
    @if (chosen(); as name) {
      <span class="muted name">{{ name }}</span>
    }
  `,
  styles: `
    :host { display: inline-flex; align-items: center; gap: 8px; flex-wrap: wrap; max-width: 100%; }
    .name { overflow-wrap: anywhere; }
  `,
})
export class FilePick {
  /** what the button says ("Import a course file…") */
  readonly label = input.required<string>();
  /** the input's `accept`: extensions and media types */
  readonly accept = input('');
  readonly disabled = input(false);
  /** the file chosen */
  readonly picked = output<File>();
  protected readonly chosen = signal<string | null>(null);

  /** Names no file any more (the page took its input from elsewhere, such as pasted text). */
  clear(): void {
    this.chosen.set(null);
  }

  protected changed(el: HTMLInputElement): void {
    const file = el.files?.[0];
    el.value = '';
    if (!file) return;
    this.chosen.set(file.name);
    this.picked.emit(file);
  }
}
