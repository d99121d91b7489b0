import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * An e-mail address drawn so that a narrow column breaks it where a reader would: after its "@"
 * and its dots ("participant@ / demo.rehearse. / local"), not wherever the line ends (on a phone
 * the people list drew "participant@demo.rehearse.loc" and "al" on two lines). Each break is a
 * `<wbr>`, which adds no character: the address copies and reads (to a screen reader) whole. A
 * part longer than its line still breaks rather than running past the screen.
 */
@Component({
  selector: 'rh-address',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `@for (part of parts(); track $index) {{{ part }}@if (!$last) {<wbr />}}`,
  // break-word, not anywhere: a table sizes its column to the longest part ("participant@"), not to
  // a letter (anywhere would let it squeeze the column and break every part)
  styles: `:host { overflow-wrap: break-word; }`,
})
export class Address {
  readonly value = input.required<string>();
  /** the address cut after each "@" and "." */
  protected readonly parts = computed(() => this.value().split(/(?<=[@.])/));
}
