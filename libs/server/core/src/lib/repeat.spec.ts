import { repeatEvery } from './repeat';

/** A task whose rounds end when the test says so. */
function controlledTask() {
  const ends: (() => void)[] = [];
  let started = 0;
  return {
    task: () => {
      started++;
      return new Promise<void>((resolve) => ends.push(resolve));
    },
    get started() {
      return started;
    },
    /** ends the oldest round still running */
    endOne: () => ends.shift()?.(),
  };
}

/** Lets the promise callbacks queued so far run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('repeatEvery', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits for a round to end before the next one is counted: never two at once', async () => {
    const t = controlledTask();
    const r = repeatEvery(1000, t.task, () => undefined);
    expect(t.started).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(t.started).toBe(1);
    // the round takes ten intervals: no other starts meanwhile
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.started).toBe(1);
    t.endOne();
    await settle();
    await jest.advanceTimersByTimeAsync(999);
    expect(t.started).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(t.started).toBe(2);
    t.endOne();
    await r.stop();
  });

  it('with now, the first round starts at once', async () => {
    const t = controlledTask();
    const r = repeatEvery(1000, t.task, () => undefined, { now: true });
    expect(t.started).toBe(1);
    t.endOne();
    await settle();
    await jest.advanceTimersByTimeAsync(1000);
    expect(t.started).toBe(2);
    t.endOne();
    await r.stop();
  });

  it('stop() resolves only once the running round has ended, and no round follows', async () => {
    const t = controlledTask();
    const r = repeatEvery(1000, t.task, () => undefined, { now: true });
    let stopped = false;
    const stopping = r.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    t.endOne();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.started).toBe(1);
  });

  it('stop() before the first round: none runs, and it resolves at once', async () => {
    const t = controlledTask();
    const r = repeatEvery(1000, t.task, () => undefined);
    await r.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(t.started).toBe(0);
  });

  it('a failed round is reported and the next one runs all the same, even when the report throws', async () => {
    const errors: string[] = [];
    let rounds = 0;
    const r = repeatEvery(
      1000,
      async () => {
        rounds++;
        throw new Error(`round ${rounds}`);
      },
      (e) => {
        errors.push(e.message);
        throw new Error('the logger failed');
      },
      { now: true },
    );
    await settle();
    await jest.advanceTimersByTimeAsync(1000);
    await jest.advanceTimersByTimeAsync(1000);
    expect(errors).toEqual(['round 1', 'round 2', 'round 3']);
    await expect(r.stop()).resolves.toBeUndefined();
  });

  it('its timer does not keep the process alive', () => {
    jest.useRealTimers();
    const setTimeoutSpy = jest.spyOn(global, 'setTimeout');
    const r = repeatEvery(
      60_000,
      async () => undefined,
      () => undefined,
    );
    const timer = setTimeoutSpy.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeoutSpy.mockRestore();
    return r.stop();
  });
});
