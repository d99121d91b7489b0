import { Gate } from './gate';

describe('Gate: at most so many tasks at once', () => {
  /** `n` tasks through the gate, each noting how many run beside it and ending when told (task 1 fails) */
  function tasks(gate: Gate, n: number) {
    let now = 0;
    let most = 0;
    const started: number[] = [];
    const ends: (() => void)[] = [];
    const results = Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        gate.run(async () => {
          now++;
          most = Math.max(most, now);
          started.push(i);
          await new Promise<void>((resolve) => (ends[i] = resolve));
          now--;
          if (i === 1) throw new Error('task 1 failed');
          return i;
        }),
      ),
    );
    return { results, ends, started, most: () => most };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('lets two through of five, the others in their turn, a failed task freeing its place too', async () => {
    const gate = new Gate(2);
    const t = tasks(gate, 5);
    await settle();
    expect([gate.running, gate.waiting, t.started]).toEqual([2, 3, [0, 1]]);
    t.ends[1](); // fails
    await settle();
    expect([gate.running, gate.waiting, t.started]).toEqual([2, 2, [0, 1, 2]]);
    for (const i of [0, 2, 3, 4]) {
      t.ends[i]();
      await settle();
    }
    const results = await t.results;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      'task 1 failed',
      2,
      3,
      4,
    ]);
    expect(t.started).toEqual([0, 1, 2, 3, 4]);
    expect(t.most()).toBe(2);
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
  });

  it('widened, lets the waiting through at once; narrowed, lets none through until below the new limit', async () => {
    const gate = new Gate(1);
    const t = tasks(gate, 4);
    await settle();
    expect([gate.running, gate.waiting]).toEqual([1, 3]);
    gate.resize(3);
    await settle();
    expect([gate.running, gate.waiting, t.started]).toEqual([3, 1, [0, 1, 2]]);
    gate.resize(1);
    t.ends[0]();
    t.ends[2]();
    await settle();
    // two ended, task 1 runs: the last still waits, one being the limit now
    expect([gate.running, gate.waiting]).toEqual([1, 1]);
    t.ends[1]();
    await settle();
    expect([gate.running, gate.waiting, t.started]).toEqual([1, 0, [0, 1, 2, 3]]);
    t.ends[3]();
    await t.results;
    expect([gate.running, gate.waiting]).toEqual([0, 0]);
    expect(() => new Gate(0)).toThrow(RangeError);
  });
});
