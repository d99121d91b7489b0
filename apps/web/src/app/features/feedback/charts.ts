import {
  ChangeDetectionStrategy,
  Component,
  Directive,
  effect,
  ElementRef,
  inject,
  input,
  LOCALE_ID,
  OnDestroy,
  viewChild,
} from '@angular/core';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import type { AiReport, AttemptResult } from '@rehearse/shared/contracts';

Chart.register(
  LineController,
  ScatterController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  CategoryScale,
  Tooltip,
  Legend,
);

/** Draws a Chart.js chart on a canvas and redraws it when its configuration changes. */
@Directive()
abstract class ChartHost implements OnDestroy {
  protected readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;
  /** numbers on the axes are written the reader's way (Chart.js would take the browser's) */
  private readonly locale = inject(LOCALE_ID);

  protected draw(config: ChartConfiguration): void {
    this.chart?.destroy();
    this.chart = new Chart(this.canvas().nativeElement, {
      ...config,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: this.locale,
        ...config.options,
      },
    });
  }

  /** what is drawn, for tests and assistive technology */
  get drawn(): Chart | null {
    return this.chart;
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}

/** Pace over time as a line, with the fillers and pauses marked where they fall. */
@Component({
  selector: 'rh-pace-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="chart"><canvas #canvas role="img" [attr.aria-label]="summary()"></canvas></div>`,
  styles: `.chart { position: relative; height: 240px; }`,
})
export class PaceChart extends ChartHost {
  readonly report = input.required<AiReport>();

  constructor() {
    super();
    effect(() => {
      const r = this.report();
      // a round top (the next multiple of 20 above the fastest pace), with room for the markers
      const top = Math.ceil((Math.max(60, ...r.paceOverTime.map((p) => p.wpm)) + 20) / 20) * 20;
      this.draw({
        type: 'line',
        data: {
          datasets: [
            {
              label: $localize`Words per minute`,
              data: r.paceOverTime.map((p) => ({ x: (p.start + p.end) / 2, y: p.wpm })),
              borderColor: '#1565c0',
              backgroundColor: '#1565c0',
              tension: 0.3,
            },
            {
              type: 'scatter',
              label: $localize`Fillers`,
              data: r.fillers.map((f) => ({ x: f.start, y: top - 10 })),
              backgroundColor: '#ef6c00',
              pointStyle: 'triangle',
              pointRadius: 6,
            },
            {
              type: 'scatter',
              label: $localize`Pauses`,
              data: r.pauses.map((p) => ({ x: p.start, y: top - 20 })),
              backgroundColor: '#6a1b9a',
              pointStyle: 'rect',
              pointRadius: 6,
            },
          ],
        },
        options: {
          scales: {
            x: {
              type: 'linear',
              min: 0,
              max: Math.max(1, r.durationSeconds),
              // labelled at Chart.js's round steps only: the answer's length itself (73.05) is not one
              ticks: { includeBounds: false },
              title: { display: true, text: $localize`:chart axis:seconds` },
            },
            y: {
              min: 0,
              max: top,
              // its top (room for the markers) unlabelled too: "220" crowded "200" beside it
              ticks: { includeBounds: false },
              title: { display: true, text: $localize`:chart axis, words per minute:wpm` },
            },
          },
        },
      });
    });
  }

  summary(): string {
    const r = this.report();
    const fillers = r.fillers.length === 1 ? $localize`1 filler` : $localize`${r.fillers.length}:count: fillers`;
    const pauses = r.pauses.length === 1 ? $localize`1 pause` : $localize`${r.pauses.length}:count: pauses`;
    return $localize`Pace over time; ${fillers}:fillers: and ${pauses}:pauses: marked`;
  }
}

/** Attempt against attempt: the totals from coach, self and peers. */
@Component({
  selector: 'rh-attempts-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="chart"><canvas i18n-aria-label #canvas role="img" aria-label="Scores per attempt"></canvas></div>`,
  styles: `.chart { position: relative; height: 220px; }`,
})
export class AttemptsChart extends ChartHost {
  readonly attempts = input.required<AttemptResult[]>();

  constructor() {
    super();
    effect(() => {
      const a = this.attempts();
      this.draw({
        type: 'bar',
        data: {
          labels: a.map((x) => $localize`Attempt ${x.attempt}:attempt:`),
          datasets: [
            { label: $localize`Coach`, data: a.map((x) => x.coachTotal), backgroundColor: '#1565c0' },
            { label: $localize`Self`, data: a.map((x) => x.selfTotal), backgroundColor: '#2e7d32' },
            { label: $localize`Peers`, data: a.map((x) => x.peerTotal), backgroundColor: '#6a1b9a' },
          ],
        },
        options: { scales: { y: { beginAtZero: true } } },
      });
    });
  }
}

/**
 * Each series' line and points: a colour, a dash and a shape of its own, so that two series with
 * the same values (Empathy and Ownership both 3 then 5) stay two lines to the eye, and a reader
 * who cannot tell the colours apart still can.
 */
export const TREND_STYLES = [
  { colour: '#1565c0', dash: [] as number[], point: 'circle' },
  { colour: '#2e7d32', dash: [8, 4], point: 'rect' },
  { colour: '#6a1b9a', dash: [2, 3], point: 'triangle' },
  { colour: '#ef6c00', dash: [12, 3, 2, 3], point: 'rectRot' },
  { colour: '#c62828', dash: [4, 4], point: 'star' },
  { colour: '#00838f', dash: [1, 3], point: 'crossRot' },
] as const;

/** A line per criterion (or any series) over months. */
@Component({
  selector: 'rh-trend-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<div class="chart"><canvas i18n-aria-label #canvas role="img" aria-label="Mean scores over time"></canvas></div>`,
  styles: `.chart { position: relative; height: 260px; }`,
})
export class TrendChart extends ChartHost {
  readonly labels = input.required<string[]>();
  readonly series = input.required<{ label: string; data: (number | null)[] }[]>();

  constructor() {
    super();
    effect(() => {
      this.draw({
        type: 'line',
        data: {
          labels: this.labels(),
          datasets: this.series().map((s, i) => {
            const style = TREND_STYLES[i % TREND_STYLES.length];
            return {
              label: s.label,
              data: s.data,
              borderColor: style.colour,
              backgroundColor: style.colour,
              borderDash: [...style.dash],
              pointStyle: style.point,
              // hollow points, each series' a little larger than the one before (which Chart.js
              // draws above it): where points coincide, every shape's outline shows
              pointBackgroundColor: 'transparent',
              pointBorderWidth: 2,
              pointRadius: 4 + 1.5 * (i % TREND_STYLES.length),
              spanGaps: true,
            };
          }),
        },
        // months are categories with room at both ends: a single month's points stand in the
        // middle of the chart rather than on its left edge; the highest mean below the top edge
        options: {
          scales: { x: { offset: true }, y: trendAxis(this.series().flatMap((s) => s.data)) },
          // the legend shows each series' point shape beside its name
          plugins: { legend: { labels: { usePointStyle: true } } },
        },
      });
    });
  }
}

/**
 * The scores' axis: from 0 to half a step above the highest whole score drawn, labelled at whole
 * scores only. Chart.js's own rounding put a label "6" over a 1–5 rubric's means (its 10 % of room
 * above 5 rounded up to the next tick), a score nobody can be given.
 */
export function trendAxis(values: (number | null)[]) {
  const highest = Math.max(1, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const top = Math.ceil(highest);
  return {
    min: 0,
    max: top + 0.5,
    // whole steps up to 10 (a rubric's levels), Chart.js's choice above that
    ticks: { includeBounds: false, ...(top <= 10 ? { stepSize: 1 } : {}) },
  };
}
