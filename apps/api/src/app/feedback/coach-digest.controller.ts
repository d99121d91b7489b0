import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CoachDigestSetting } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { CoachDigestDto, CoachDigestService, CoachDigestSettingDto } from '@rehearse/server/feedback';

/** A coach's own morning e-mail: how many answers wait for their feedback (on unless they turn it off). */
@ApiTags('feedback')
@Controller('coaching/digest')
export class CoachDigestController {
  constructor(private readonly digest: CoachDigestService) {}

  @RequirePermission('coaching.read')
  @ApiOperation({
    summary: "Whether you receive the coach's morning e-mail",
    description:
      'Each morning from `hourUtc` a coach is e-mailed how many answers of their participants wait for their feedback, how many of them for longer than a week and how many in each course (no names), when any wait.',
  })
  @Get()
  @ApiOkResponse({ type: CoachDigestSettingDto })
  get(@CurrentActor() actor: Actor): Promise<CoachDigestSetting> {
    return this.digest.setting(actor);
  }

  @RequirePermission('coaching.read')
  @ApiOperation({ summary: "Turn the coach's morning e-mail on or off (for yourself)" })
  @Put()
  @ApiOkResponse({ type: CoachDigestSettingDto })
  set(@CurrentActor() actor: Actor, @Body() dto: CoachDigestDto): Promise<CoachDigestSetting> {
    return this.digest.set(actor, dto.enabled);
  }
}
