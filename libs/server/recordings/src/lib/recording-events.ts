import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Queue } from 'bull';
import type { Redis } from 'ioredis';
import { Observable, Subject, filter } from 'rxjs';
import { QUEUES, RECORDING_EVENTS_CHANNEL, RecordingEvent } from '@rehearse/shared/contracts';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';

/**
 * A recording's stage changes, announced by the worker on a Redis channel and relayed by every
 * API process to the browsers watching (server-sent events). The database stays the truth:
 * a watcher reads the current state first, so a missed message only delays, never misleads.
 */
@Injectable()
export class RecordingEvents implements OnModuleDestroy {
  private readonly logger = new Logger(RecordingEvents.name);
  private subscriber: Redis | null = null;
  private readonly events = new Subject<RecordingEvent & { tenantId: string }>();

  private readonly channel: string;

  constructor(
    @InjectQueue(QUEUES.media) private readonly queue: Queue,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = `${config.QUEUE_PREFIX}:${RECORDING_EVENTS_CHANNEL}`;
  }

  async publish(tenantId: string, event: RecordingEvent): Promise<void> {
    await (this.queue.client as unknown as Redis)
      .publish(this.channel, JSON.stringify({ ...event, tenantId }))
      .catch((e: Error) => this.logger.warn(`publish failed: ${e.message}`));
  }

  /** Events of one recording (the caller has checked access to it). */
  watch(tenantId: string, recordingId: string): Observable<RecordingEvent> {
    this.ensureSubscribed();
    return this.events.pipe(filter((e) => e.id === recordingId && e.tenantId === tenantId));
  }

  private ensureSubscribed(): void {
    if (this.subscriber) return;
    const sub = (this.queue.client as unknown as Redis).duplicate();
    this.subscriber = sub;
    sub.on('message', (_ch: string, message: string) => {
      try {
        this.events.next(JSON.parse(message));
      } catch {
        this.logger.warn('ignored a malformed recording event');
      }
    });
    sub.subscribe(this.channel).catch((e: Error) => this.logger.warn(`subscribe failed: ${e.message}`));
  }

  async onModuleDestroy(): Promise<void> {
    this.events.complete();
    if (this.subscriber) await this.subscriber.quit().catch(() => undefined);
  }
}
