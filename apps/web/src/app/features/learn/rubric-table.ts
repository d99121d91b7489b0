import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { RubricSnapshot } from '@rehearse/shared/contracts';
import { StackedTable } from '../../core/stacked-table';

/** A rubric with its criteria, weights and level descriptors. */
@Component({
  selector: 'rh-rubric-table',
  imports: [StackedTable],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="data rubric" rhStacked>
      <caption>{{ rubric().title }}</caption>
      <thead><tr><th i18n scope="col">Criterion</th><th i18n scope="col">Weight</th>@for (l of levels(); track l) { <th scope="col">{{ l }}</th> }</tr></thead>
      <tbody>
        @for (c of rubric().criteria; track c.id) {
          <tr>
            <th scope="row">{{ c.title }}<div class="muted small">{{ c.description }}</div></th>
            <td>{{ c.weight }}</td>
            @for (l of levels(); track l) { <td>{{ descriptor(c.levels, l) }}</td> }
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `caption { text-align: left; font-weight: 600; padding: 4px 0; } .small { font-size: .85em; font-weight: normal; }`,
})
export class RubricTable {
  readonly rubric = input.required<RubricSnapshot>();

  levels(): number[] {
    return [...new Set(this.rubric().criteria.flatMap((c) => c.levels.map((l) => l.score)))].sort((a, b) => a - b);
  }

  descriptor(levels: { score: number; descriptor: string }[], score: number): string {
    return levels.find((l) => l.score === score)?.descriptor ?? '';
  }
}
