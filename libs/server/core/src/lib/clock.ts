import { Injectable } from '@nestjs/common';

/** All time goes through the clock so tests can move it. */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** The date now (UTC), YYYY-MM-DD: what due dates are compared with. */
  today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** Test support: move the clock forward (or back). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
