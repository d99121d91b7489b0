import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Repeating, repeatEvery } from './repeat';

/**
 * A worker's round of background work, repeated from start to shutdown (repeatEvery): the first at
 * once, each next one `everyMs()` after the end of the one before; a failed round is logged and the
 * next runs all the same; shutdown waits for a round still running. A subclass says how often (0:
 * this process runs none, turned off in the configuration), what its rounds are called in the log,
 * and what one does.
 */
export abstract class Sweeper implements OnApplicationBootstrap, OnModuleDestroy {
  /** named for the subclass */
  protected readonly logger = new Logger(this.constructor.name);
  private repeating: Repeating | null = null;

  /** what a round is called in the log ("peer review sweep") */
  protected abstract readonly label: string;
  /** milliseconds between rounds; 0: none */
  protected abstract everyMs(): number;
  /** one round */
  protected abstract round(): Promise<void>;

  onApplicationBootstrap(): void {
    const every = this.everyMs();
    if (!every) return;
    this.repeating = repeatEvery(
      every,
      () => this.round(),
      (e) => this.failed(e),
      { now: true },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.repeating?.stop();
  }

  /** A round failed: a warning by default (the next round runs all the same). */
  protected failed(e: Error): void {
    this.logger.warn(`${this.label} failed: ${e.message}`);
  }
}
