import { Inject, Injectable } from '@nestjs/common';
import type { CoachDigestSetting } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig, Clock } from '@rehearse/server/core';
import { UsersRepository } from '@rehearse/server/accounts';
import { CoachDigestsRepository } from './coach-digests.repository';

/**
 * A coach's own choice about the morning e-mail that says how many answers wait for their
 * feedback (the worker's CoachDigestSweeper sends it). It names nobody: no privacy-log row.
 */
@Injectable()
export class CoachDigestService {
  constructor(
    private readonly access: AccessService,
    private readonly digests: CoachDigestsRepository,
    private readonly users: UsersRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async setting(actor: Actor): Promise<CoachDigestSetting> {
    const tenantId = this.access.tenantOf(actor);
    return this.answer(await this.digests.enabled(tenantId, actor.userId));
  }

  async set(actor: Actor, enabled: boolean): Promise<CoachDigestSetting> {
    const tenantId = this.access.tenantOf(actor);
    await this.digests.setEnabled(tenantId, actor.userId, enabled);
    return this.answer(enabled);
  }

  /** Turns the morning e-mail off for the coach a signed link names (the link was checked); false: no such person. */
  async stopByLink(userId: string): Promise<boolean> {
    const person = await this.users.recipient(undefined, userId);
    if (!person?.tenant_id) return false;
    await this.digests.setEnabled(person.tenant_id, userId, false);
    return true;
  }

  private answer(enabled: boolean): CoachDigestSetting {
    const hour = this.config.COACH_DIGEST_HOUR;
    const timeZone = this.clock.timeZone;
    if (hour === 'off') return { enabled, hour: null, timeZone, from: null };
    return { enabled, hour, timeZone, from: this.clock.instantAt(this.clock.today(), hour).toISOString() };
  }
}
