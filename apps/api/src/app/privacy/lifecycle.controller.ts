import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DeletionReceipt, KeepRequest, MyRetention, Page, RetentionSettings } from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { IdParam, PageQuery } from '@rehearse/server/accounts';
import { ErasureDto, ErasureService, KeepDecisionDto, RetentionService, RetentionSettingsDto } from '@rehearse/server/privacy';
import { DeletionReceiptPageDto, ErasureResultDto, KeepRequestDto, MyRetentionDto, RetentionSettingsOutDto } from './lifecycle.openapi';

/** Licence expiry and retention for the user, their administrators and superusers; erasure. */
@ApiTags('data protection')
@Controller()
export class LifecycleController {
  constructor(
    private readonly retention: RetentionService,
    private readonly erasure: ErasureService,
  ) {}

  @RequirePermission('account.self')
  @Get('my/retention')
  @ApiOkResponse({ type: MyRetentionDto, description: 'Whether your answers are hidden, when your recordings will be deleted, and your keep request' })
  mine(@CurrentActor() actor: Actor): Promise<MyRetention> {
    return this.retention.mine(actor);
  }

  @RequirePermission('account.self')
  @Post('my/retention/keep')
  @HttpCode(200)
  @ApiOkResponse({ type: MyRetentionDto, description: 'Asks to keep your recordings: granted at once or sent to your administrators, per the tenant policy' })
  keep(@CurrentActor() actor: Actor): Promise<MyRetention> {
    return this.retention.askToKeep(actor);
  }

  @RequirePermission('users.read')
  @Get('admin/retention/requests')
  @ApiOkResponse({ type: KeepRequestDto, isArray: true })
  requests(@CurrentActor() actor: Actor): Promise<KeepRequest[]> {
    return this.retention.requests(actor);
  }

  @RequirePermission('users.write')
  @Post('admin/retention/requests/:id')
  @HttpCode(200)
  @ApiOkResponse({ type: KeepRequestDto })
  decide(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: KeepDecisionDto): Promise<KeepRequest> {
    return this.retention.decide(actor, p.id, dto.decision);
  }

  @RequirePermission('tenant.read')
  @Get('admin/retention-settings')
  @ApiOkResponse({ type: RetentionSettingsOutDto })
  settings(@CurrentActor() actor: Actor): Promise<RetentionSettings> {
    return this.retention.settings(actor);
  }

  @RequirePermission('tenant.write')
  @Put('admin/retention-settings')
  @ApiOkResponse({ type: RetentionSettingsOutDto })
  updateSettings(@CurrentActor() actor: Actor, @Body() dto: RetentionSettingsDto): Promise<RetentionSettings> {
    return this.retention.updateSettings(actor, dto);
  }

  @RequirePermission('privacy.read')
  @Get('admin/deletion-receipts')
  @ApiOkResponse({ type: DeletionReceiptPageDto })
  receipts(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<Page<DeletionReceipt>> {
    return this.retention.receipts(actor, q.page, q.pageSize);
  }

  @RequirePermission('users.write')
  @Post('admin/users/:id/erase')
  @HttpCode(200)
  @ApiOkResponse({ type: ErasureResultDto, description: 'Erases the user for good (right to be forgotten); the receipt is in the deletion receipts' })
  eraseInTenant(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ErasureDto): Promise<{ receiptId: string; verified: boolean }> {
    return this.erasure.erase(actor, p.id, dto.reason, dto.confirmEmail);
  }

  @RequirePermission('superuser.erase')
  @Post('superuser/users/:id/erase')
  @HttpCode(200)
  @ApiOkResponse({ type: ErasureResultDto, description: 'Erases a user of any tenant for good; the reason is kept on the receipt' })
  erase(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: ErasureDto): Promise<{ receiptId: string; verified: boolean }> {
    return this.erasure.erase(actor, p.id, dto.reason, dto.confirmEmail);
  }
}
