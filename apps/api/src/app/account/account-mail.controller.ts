import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MailPreferencesSetting } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { Refuses } from '@rehearse/server/core';
import { MailPreferencesDto, MailPreferencesService, UpdateMailPreferencesDto } from '@rehearse/server/accounts';

/** The e-mails a person may stop, each on until they turn it off: their own choice, for themselves. */
@ApiTags('account')
@Controller('account/mail-preferences')
export class AccountMailController {
  constructor(private readonly preferences: MailPreferencesService) {}

  @RequirePermission('account.self')
  @ApiOperation({
    summary: 'Which e-mails you receive that you may turn off',
    description:
      'Feedback published on your answers, peer reviews given to you (and their reminders), courses of yours due soon: each comes until you turn it off. Sign-in codes and notices about your account or your data always come.',
  })
  @Refuses(404, 'The operator’s staff belong to no organisation and have no such e-mails')
  @Get()
  @ApiOkResponse({ type: MailPreferencesDto })
  get(@CurrentActor() actor: Actor): Promise<MailPreferencesSetting> {
    return this.preferences.of(actor);
  }

  @RequirePermission('account.self')
  @ApiOperation({
    summary: 'Turn e-mails you may stop off or on again (for yourself)',
    description: 'What the body leaves out stays as it is; e-mails already queued follow the choice too.',
  })
  @Refuses(404, 'The operator’s staff belong to no organisation and have no such e-mails')
  @Patch()
  @ApiOkResponse({ type: MailPreferencesDto })
  set(@CurrentActor() actor: Actor, @Body() dto: UpdateMailPreferencesDto): Promise<MailPreferencesSetting> {
    return this.preferences.set(actor, dto);
  }
}
