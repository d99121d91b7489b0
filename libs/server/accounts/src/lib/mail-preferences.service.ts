import { Inject, Injectable } from '@nestjs/common';
import type { MailPreferences, MailPreferencesSetting } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { APP_CONFIG, AppConfig } from '@rehearse/server/core';
import { MailPreferencesRepository, type MailTopic, topicsOf } from './mail-preferences.repository';

/**
 * The signed-in person's choice of the e-mails they may stop (feedback published, peer reviews,
 * courses due soon). Their own only: the actor's row, whoever else they may see.
 */
@Injectable()
export class MailPreferencesService {
  constructor(
    private readonly access: AccessService,
    private readonly preferences: MailPreferencesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(actor: Actor): Promise<MailPreferencesSetting> {
    const tenantId = this.access.tenantOf(actor, 'E-mail settings');
    return this.answer(await this.preferences.of(tenantId, actor.userId));
  }

  /** Keeps the choices given (the others stay as they are) and answers them all. */
  async set(actor: Actor, changes: Partial<MailPreferences>): Promise<MailPreferencesSetting> {
    const tenantId = this.access.tenantOf(actor, 'E-mail settings');
    await this.preferences.set(tenantId, actor.userId, topicsOf(changes));
    return this.answer(await this.preferences.of(tenantId, actor.userId));
  }

  /** Turns one kind off for the person a signed link names (the link was checked); false: no such person. */
  stopByLink(userId: string, topic: MailTopic): Promise<boolean> {
    return this.preferences.stopByLink(userId, topic);
  }

  private answer(p: MailPreferences): MailPreferencesSetting {
    const days = this.config.COURSE_DUE_REMINDER_DAYS;
    return { ...p, courseDueDays: days > 0 ? days : null };
  }
}
