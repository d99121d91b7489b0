/**
 * At most `limit` tasks at once; the others wait their turn, first come first served. A task that
 * fails frees its place as one that succeeds does.
 */
export class Gate {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a gate lets at least one task through, not ${limit}`);
  }

  /** tasks running now */
  get running(): number {
    return this.active;
  }

  /** tasks waiting for a place */
  get waiting(): number {
    return this.queue.length;
  }

  /** Lets `limit` tasks through from now on (those running go on). */
  resize(limit: number): void {
    if (!(limit >= 1)) throw new RangeError(`a gate lets at least one task through, not ${limit}`);
    this.limit = limit;
    while (this.active < this.limit && this.queue.length) {
      this.active++;
      this.next();
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // the place goes to the first waiting task, unless the gate was narrowed meanwhile
      if (this.queue.length && this.active <= this.limit) this.next();
      else this.active--;
    }
  }

  /** hands a place to the first waiting task (the place stays taken) */
  private next(): void {
    const wake = this.queue.shift();
    if (wake) wake();
  }
}
