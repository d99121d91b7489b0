// the benchmark is a workspace tool (tools/ is no Nx project)
// eslint-disable-next-line @nx/enforce-module-boundaries
import { databaseSeconds } from '../../../../../tools/bench/lib/process-cpu';

describe("the scale benchmark's PostgreSQL CPU time between two snapshots", () => {
  it('adds each process’s own difference and a new one’s whole time, and leaves out one that ended', () => {
    const before = new Map([
      [101, 10], // serves throughout
      [102, 50], // ends in between: its 50 s are not subtracted
    ]);
    const after = new Map([
      [101, 12.5],
      [103, 0.75], // started in between
    ]);
    expect(databaseSeconds(before, after)).toBe(3.25);
  });

  it('counts a number taken over by a new process from zero, never below it', () => {
    expect(databaseSeconds(new Map([[7, 40]]), new Map([[7, 0.5]]))).toBe(0.5);
    expect(databaseSeconds(new Map(), new Map())).toBe(0);
  });
});
