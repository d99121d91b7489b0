import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TrendChart } from './charts';

describe('TrendChart', () => {
  it('draws each series with a dash and a point shape of its own, so that equal series stay apart', async () => {
    await TestBed.configureTestingModule({
      imports: [TrendChart],
      providers: [provideZonelessChangeDetection()],
    }).compileComponents();
    const fixture = TestBed.createComponent(TrendChart);
    fixture.componentRef.setInput('labels', ['2026-11', '2026-12']);
    // Empathy and Ownership with the same means: drawn on the same line
    fixture.componentRef.setInput('series', [
      { label: 'Clarity', data: [3.33, 4] },
      { label: 'Empathy', data: [3, 5] },
      { label: 'Ownership', data: [3, 5] },
    ]);
    fixture.detectChanges();
    await fixture.whenStable();
    const sets = fixture.componentInstance.drawn?.data.datasets ?? [];
    expect(sets.map((d) => d.label)).toEqual(['Clarity', 'Empathy', 'Ownership']);
    const looks = sets.map((d) =>
      JSON.stringify([(d as { borderDash?: number[] }).borderDash, (d as { pointStyle?: string }).pointStyle]),
    );
    expect(new Set(looks).size).toBe(3);
    expect(new Set(sets.map((d) => d.borderColor)).size).toBe(3);
  });
});
