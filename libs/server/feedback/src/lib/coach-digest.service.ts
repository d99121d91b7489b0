import { Inject, Injectable } from '@nestjs/common';
import type { CoachDigestSetting } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  private answer(enabled: boolean): CoachDigestSetting {
    const hour = this.config.COACH_DIGEST_HOUR;
    return { enabled, hourUtc: hour === 'off' ? null : hour };
  }
}
