import { Logger } from '@nestjs/common';
import { Sweeper } from './sweeper';

/** A sweeper whose rounds the test counts, fails or holds. */
class CountingSweeper extends Sweeper {
  protected readonly label = 'counting sweep';
  rounds = 0;
  fail = false;
  hold: Promise<void> | null = null;

  constructor(private readonly every: number) {
    super();
  }

  protected everyMs(): number {
    return this.every;
  }

  protected async round(): Promise<void> {
    this.rounds++;
    if (this.hold) await this.hold;
    if (this.fail) throw new Error('PostgreSQL is away');
  }
}

describe('Sweeper', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs a round at start and every interval after, until the module is destroyed', async () => {
    const s = new CountingSweeper(1000);
    s.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(0);
    expect(s.rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(2000);
    expect(s.rounds).toBe(3);
    await s.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(5000);
    expect(s.rounds).toBe(3);
  });

  it('runs none when the configuration turns it off (0)', async () => {
    const s = new CountingSweeper(0);
    s.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(s.rounds).toBe(0);
    await expect(s.onModuleDestroy()).resolves.toBeUndefined();
  });

  it('logs a failed round under the subclass’s name and label, and goes on', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const s = new CountingSweeper(1000);
    s.fail = true;
    s.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1000);
    expect(s.rounds).toBe(2);
    expect(warn).toHaveBeenCalledWith('counting sweep failed: PostgreSQL is away');
    expect((s as unknown as { logger: { context: string } }).logger.context).toBe('CountingSweeper');
    await s.onModuleDestroy();
  });

  it('at shutdown, waits for the round still running', async () => {
    let release = () => undefined as void;
    const s = new CountingSweeper(1000);
    s.hold = new Promise<void>((r) => (release = r));
    s.onApplicationBootstrap();
    let destroyed = false;
    const destroying = s.onModuleDestroy().then(() => (destroyed = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(destroyed).toBe(false);
    release();
    await destroying;
    expect(destroyed).toBe(true);
  });
});
