import { HttpStatus, Injectable } from '@nestjs/common';
import { COURSE_LANGUAGES, DEFAULT_MARKER_TAGS, FEEDBACK_LIMITS, FeedbackSettings } from '@rehearse/shared/contracts';
import { AccessService, Actor } from '@rehearse/server/access';
import { TenantsRepository } from '@rehearse/server/accounts';
import { AppError } from '@rehearse/server/core';

/** The tenant's marker tags and filler lists, edited by its administrators. */
@Injectable()
export class FeedbackSettingsService {
  constructor(
    private readonly access: AccessService,
    private readonly tenants: TenantsRepository,
  ) {}

  async get(actor: Actor): Promise<FeedbackSettings> {
    const tenantId = this.access.tenantOf(actor, 'Tenant');
    const t = await this.tenants.feedbackSettings(tenantId);
    return { markerTags: t?.markerTags ?? DEFAULT_MARKER_TAGS, fillers: t?.fillers ?? {} };
  }

  /** Tags are kept as typed (trimmed, duplicates refused); fillers lowercased and trimmed. */
  async save(actor: Actor, input: FeedbackSettings): Promise<FeedbackSettings> {
    const tenantId = this.access.tenantOf(actor, 'Tenant');
    const errors: { field: string; messages: string[] }[] = [];
    const tags = input.markerTags.map((t) => t.trim());
    tags.forEach((t, i) => {
      if (!t) errors.push({ field: `markerTags.${i}`, messages: ['must not be empty'] });
      else if (tags.findIndex((x) => x.toLowerCase() === t.toLowerCase()) !== i)
        errors.push({ field: `markerTags.${i}`, messages: ['is listed twice'] });
    });
    const fillers: Record<string, string[]> = {};
    for (const [lang, list] of Object.entries(input.fillers)) {
      if (!(COURSE_LANGUAGES as readonly string[]).includes(lang)) {
        errors.push({
          field: `fillers.${lang}`,
          messages: [`is not a course language (${COURSE_LANGUAGES.join(', ')})`],
        });
        continue;
      }
      if (!Array.isArray(list) || list.length > FEEDBACK_LIMITS.fillersPerLanguage) {
        errors.push({
          field: `fillers.${lang}`,
          messages: [`must be a list of at most ${FEEDBACK_LIMITS.fillersPerLanguage} fillers`],
        });
        continue;
      }
      const clean = list.map((f) => (typeof f === 'string' ? f.trim().toLowerCase().replace(/\s+/g, ' ') : ''));
      clean.forEach((f, i) => {
        if (!f || f.length > FEEDBACK_LIMITS.filler)
          errors.push({ field: `fillers.${lang}.${i}`, messages: [`must be 1–${FEEDBACK_LIMITS.filler} characters`] });
      });
      fillers[lang] = [...new Set(clean)];
    }
    if (errors.length)
      throw new AppError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The settings are not valid', errors);
    await this.tenants.saveFeedbackSettings(tenantId, tags, fillers);
    return this.get(actor);
  }
}
