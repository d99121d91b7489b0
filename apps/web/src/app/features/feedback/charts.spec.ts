import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AiReport } from '@rehearse/shared/contracts';
import { PaceChart, TrendChart, trendAxis } from './charts';

/** A trend chart over two months, drawn with these series. */
async function drawTrend(series: { label: string; data: (number | null)[] }[]): Promise<TrendChart> {
  await TestBed.configureTestingModule({
    imports: [TrendChart],
    providers: [provideZonelessChangeDetection()],
  }).compileComponents();
  const fixture = TestBed.createComponent(TrendChart);
  fixture.componentRef.setInput('labels', ['2026-11', '2026-12']);
  fixture.componentRef.setInput('series', series);
  fixture.detectChanges();
  await fixture.whenStable();
  return fixture.componentInstance;
}

describe('TrendChart', () => {
  it('draws each series with a dash and a point shape of its own, so that equal series stay apart', async () => {
    // Empathy and Ownership with the same means: drawn on the same line
    const chart = await drawTrend([
      { label: 'Clarity', data: [3.33, 4] },
      { label: 'Empathy', data: [3, 5] },
      { label: 'Ownership', data: [3, 5] },
    ]);
    const sets = chart.drawn?.data.datasets ?? [];
    expect(sets.map((d) => d.label)).toEqual(['Clarity', 'Empathy', 'Ownership']);
    const looks = sets.map((d) =>
      JSON.stringify([(d as { borderDash?: number[] }).borderDash, (d as { pointStyle?: string }).pointStyle]),
    );
    expect(new Set(looks).size).toBe(3);
    expect(new Set(sets.map((d) => d.borderColor)).size).toBe(3);
  });
});

describe('trendAxis', () => {
  it('labels whole scores up to the highest one drawn, never one above it, with room for the points', () => {
    // a 1–5 rubric whose means reach 5: no "6"
    expect(trendAxis([3.33, 4, 3, 5, null])).toEqual({
      min: 0,
      max: 5.5,
      ticks: { includeBounds: false, stepSize: 1 },
    });
    // means below a whole score: the next whole score is the last label
    expect(trendAxis([2.2, 3.4])).toEqual({ min: 0, max: 4.5, ticks: { includeBounds: false, stepSize: 1 } });
    // no data yet: an axis to 1
    expect(trendAxis([null])).toEqual({ min: 0, max: 1.5, ticks: { includeBounds: false, stepSize: 1 } });
  });

  it('puts the axis on the chart: its labels are 0 to 5 for means up to 5', async () => {
    const chart = await drawTrend([{ label: 'Empathy', data: [3, 5] }]);
    const ticks = chart.drawn?.scales['y'].ticks.map((t) => t.value);
    expect(ticks).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('PaceChart', () => {
  it('runs its axes to the answer’s end and above its fastest pace, labelled at even steps only', async () => {
    await TestBed.configureTestingModule({
      imports: [PaceChart],
      providers: [provideZonelessChangeDetection()],
    }).compileComponents();
    const fixture = TestBed.createComponent(PaceChart);
    const report: Partial<AiReport> = {
      durationSeconds: 73.05,
      paceOverTime: [
        { start: 0, end: 30, wpm: 120 },
        { start: 30, end: 60, wpm: 191 },
      ] as AiReport['paceOverTime'],
      fillers: [],
      pauses: [],
    };
    fixture.componentRef.setInput('report', report as AiReport);
    fixture.detectChanges();
    await fixture.whenStable();
    const x = fixture.componentInstance.drawn?.scales['x'];
    expect(x?.max).toBe(73.05);
    const labelled = (x?.ticks ?? []).map((t) => t.value);
    expect(labelled.length).toBeGreaterThan(2);
    expect(labelled.every((v) => Number.isInteger(v))).toBe(true);
    // the pace axis: to 220 (room for the markers above 191), labelled at its steps, not at 220
    const y = fixture.componentInstance.drawn?.scales['y'];
    expect(y?.max).toBe(220);
    const steps = (y?.ticks ?? []).map((t) => t.value);
    const gaps = new Set(steps.slice(1).map((v, i) => v - steps[i]));
    expect(gaps.size).toBe(1);
  });
});
