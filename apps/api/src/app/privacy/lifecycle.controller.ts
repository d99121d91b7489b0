import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Refuses } from '@rehearse/server/core';
import type { Request, Response } from 'express';
import { mediaRequestOf } from '@rehearse/server/storage';
import { RangedAnswers, sendRanged } from '../ranged-response';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type {
  DataExport,
  DeletionReceipt,
  DestructionReport,
  DestructionReportSummary,
  KeepRequest,
  MyRetention,
  Page,
  RetentionSettings,
  TenantAgreement,
} from '@rehearse/shared/contracts';
import { Actor, CurrentActor, RequireObject, RequirePermission } from '@rehearse/server/access';
import {
  IdParam,
  InvitationsService,
  NewOrganisationDto,
  OrganisationsQuery,
  PageQuery,
  TenantsService,
} from '@rehearse/server/accounts';
import {
  AgreementEndDto,
  ErasureDto,
  ErasureService,
  ExportDownloads,
  ExportService,
  KeepDecisionDto,
  RetentionService,
  RetentionSettingsDto,
  TenantDestructionService,
} from '@rehearse/server/privacy';
import {
  DataExportDto,
  DeletionReceiptPageDto,
  DestructionReportDto,
  DestructionReportPageDto,
  ErasureResultDto,
  KeepRequestDto,
  MyRetentionDto,
  RetentionSettingsOutDto,
  TenantAgreementDto,
  TenantAgreementPageDto,
} from '@rehearse/server/privacy';

/** Licence expiry and retention for the user, their administrators and superusers; erasure. */
@ApiTags('data protection')
@Controller()
export class LifecycleController {
  constructor(
    private readonly retention: RetentionService,
    private readonly erasure: ErasureService,
    private readonly tenants: TenantDestructionService,
    private readonly exports: ExportService,
    private readonly downloads: ExportDownloads,
    private readonly registration: TenantsService,
    private readonly invitations: InvitationsService,
  ) {}

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Export one's own data (built in the background)" })
  @Refuses(409, 'An export of your data is already being built')
  @Refuses(404, 'You belong to no organisation (operator staff)')
  @Post('my/exports')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: DataExportDto,
    description: 'Starts building an archive of all your data; follow its progress, then download it',
  })
  exportMine(@CurrentActor() actor: Actor): Promise<DataExport> {
    return this.exports.request(actor, actor.userId);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "One's own exports and their progress" })
  @Refuses(404, 'You belong to no organisation (operator staff)')
  @Get('my/exports')
  @ApiOkResponse({ type: DataExportDto, isArray: true })
  myExports(@CurrentActor() actor: Actor): Promise<DataExport[]> {
    return this.exports.list(actor, actor.userId);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: "Export a person's data (built in the background)" })
  @RequireObject('person.export')
  @Refuses(409, 'An export of this person is already being built')
  @Post('admin/users/:id/exports')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: DataExportDto,
    description: "Starts building an archive of the person's data (downloading it is privacy-logged)",
  })
  exportUser(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<DataExport> {
    return this.exports.request(actor, p.id);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: "A person's exports and their progress" })
  @RequireObject('person.export')
  @Get('admin/users/:id/exports')
  @ApiOkResponse({ type: DataExportDto, isArray: true })
  userExports(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<DataExport[]> {
    return this.exports.list(actor, p.id);
  }

  @RequirePermission('tenant.write')
  @ApiOperation({ summary: 'Export everything of the organisation (built in the background)' })
  @Refuses(409, 'An export of the organisation is already being built')
  @Post('admin/exports/organisation')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: DataExportDto,
    description:
      "Starts building an archive of everything of the organisation (its data and every person's); downloading it is logged in everyone's privacy log",
  })
  exportOrganisation(@CurrentActor() actor: Actor): Promise<DataExport> {
    return this.exports.requestTenant(actor);
  }

  @RequirePermission('tenant.write')
  @ApiOperation({ summary: "The organisation's exports and their progress" })
  @Get('admin/exports/organisation')
  @ApiOkResponse({ type: DataExportDto, isArray: true })
  organisationExports(@CurrentActor() actor: Actor): Promise<DataExport[]> {
    return this.exports.tenantExports(actor);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "An export's progress" })
  @RequireObject('export.read')
  @Get('exports/:id')
  @ApiOkResponse({
    type: DataExportDto,
    description: 'State and progress of an export (its subject, or an administrator)',
  })
  exportStatus(@CurrentActor() actor: Actor, @Param() p: IdParam): Promise<DataExport> {
    return this.exports.get(actor, p.id);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: 'Download a finished export (privacy-logged for the people in it)' })
  @RequireObject('export.read')
  @Refuses(409, 'The export is not ready yet (or failed)')
  @Get('exports/:id/download')
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description:
      'The ZIP archive; Range requests answer 206 (or 416 past the end), If-Range naming another copy the whole archive (a browser resumes a broken download)',
    schema: { type: 'string', format: 'binary' },
  })
  @RangedAnswers('application/zip')
  async download(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendRanged(req, res, await this.downloads.download(actor, p.id, mediaRequestOf(req)));
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({
    summary: 'Organisations with their agreement end dates, a page at a time',
    description:
      'Client organisations by name (those whose name or slug contains `q`), each with the end of its agreement, its destruction date and how many people it has.',
  })
  @Get('superuser/tenants')
  @ApiOkResponse({ type: TenantAgreementPageDto })
  agreements(@Query() q: OrganisationsQuery): Promise<Page<TenantAgreement>> {
    return this.tenants.list(q.q, q.page, q.pageSize);
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({
    summary: 'Register an organisation with its first administrator',
    description:
      "The organisation (its name and the slug people give at sign-in where their address opens accounts in several) and its first administrator, who is e-mailed a one-time link to choose a password (in `administrator.locale`, by default the superuser's language). Both are on the organisation's account activity, by the superuser. As `npm run create-tenant` on the server.",
  })
  @Refuses(409, "An organisation with this slug exists already (or the address is a superuser's)")
  @Post('superuser/tenants')
  @ApiCreatedResponse({ type: TenantAgreementDto, description: 'The organisation, as the list shows it' })
  async register(@CurrentActor() actor: Actor, @Body() dto: NewOrganisationDto): Promise<TenantAgreement> {
    const { tenantId, admin } = await this.registration.createTenant(
      {
        name: dto.name,
        slug: dto.slug,
        requirePasswordComplexity: dto.requirePasswordComplexity,
        admin: { ...dto.administrator, locale: dto.administrator.locale ?? actor.profile?.locale ?? undefined },
      },
      actor,
    );
    if (admin.invitationId) await this.invitations.enqueue(admin.invitationId);
    return this.tenants.agreementRow(tenantId);
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({ summary: "Set or clear the end of an organisation's agreement" })
  @Put('superuser/tenants/:id/agreement')
  @ApiOkResponse({
    type: TenantAgreementDto,
    description: 'Sets or clears the end of the agreement; everything of the tenant is destroyed 45 days after it',
  })
  setAgreementEnd(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Body() dto: AgreementEndDto,
  ): Promise<TenantAgreement> {
    return this.tenants.setEnd(actor, p.id, dto.endsOn);
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({
    summary: 'Reports of destroyed organisations, a page at a time',
    description:
      'The destruction reports newest first (of the organisations whose name or slug contains `q`): which organisation, when, what went in counts and whether the store confirmed every object gone. The objects one by one are in each report (`GET /api/superuser/destruction-reports/{id}`).',
  })
  @Get('superuser/destruction-reports')
  @ApiOkResponse({ type: DestructionReportPageDto })
  destructionReports(@Query() q: OrganisationsQuery): Promise<Page<DestructionReportSummary>> {
    return this.tenants.reports(q.q, q.page, q.pageSize);
  }

  @RequirePermission('superuser.tenants')
  @ApiOperation({
    summary: "A destroyed organisation's report in full",
    description: 'Every object the destruction removed from the store, each with whether the store confirmed it gone.',
  })
  @Refuses(404, 'No such destruction report')
  @Get('superuser/destruction-reports/:id')
  @ApiOkResponse({ type: DestructionReportDto })
  destructionReport(@Param() p: IdParam): Promise<DestructionReport> {
    return this.tenants.report(p.id);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "One's licence, what is hidden and when recordings are deleted" })
  @Get('my/retention')
  @ApiOkResponse({
    type: MyRetentionDto,
    description: 'Whether your answers are hidden, when your recordings will be deleted, and your keep request',
  })
  mine(@CurrentActor() actor: Actor): Promise<MyRetention> {
    return this.retention.mine(actor);
  }

  @RequirePermission('account.self')
  @ApiOperation({ summary: "Ask to keep one's recordings after the licence ended" })
  @Refuses(409, 'Nothing of yours is due for deletion, you already asked, or the notice period has not begun')
  @Post('my/retention/keep')
  @HttpCode(200)
  @ApiOkResponse({
    type: MyRetentionDto,
    description: 'Asks to keep your recordings: granted at once or sent to your administrators, per the tenant policy',
  })
  keep(@CurrentActor() actor: Actor): Promise<MyRetention> {
    return this.retention.askToKeep(actor);
  }

  @RequirePermission('users.read')
  @ApiOperation({ summary: 'Requests to keep recordings awaiting a decision' })
  @Get('admin/retention/requests')
  @ApiOkResponse({ type: KeepRequestDto, isArray: true })
  requests(@CurrentActor() actor: Actor): Promise<KeepRequest[]> {
    return this.retention.requests(actor);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Grant or decline a request to keep recordings' })
  @Refuses(409, 'This request was already decided')
  @Post('admin/retention/requests/:id')
  @HttpCode(200)
  @ApiOkResponse({ type: KeepRequestDto })
  decide(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: KeepDecisionDto): Promise<KeepRequest> {
    return this.retention.decide(actor, p.id, dto.decision);
  }

  @RequirePermission('tenant.read')
  @ApiOperation({ summary: "The organisation's retention settings after a licence expires" })
  @Get('admin/retention-settings')
  @ApiOkResponse({ type: RetentionSettingsOutDto })
  settings(@CurrentActor() actor: Actor): Promise<RetentionSettings> {
    return this.retention.settings(actor);
  }

  @RequirePermission('tenant.write')
  @ApiOperation({ summary: "Change the organisation's retention settings" })
  @Put('admin/retention-settings')
  @ApiOkResponse({ type: RetentionSettingsOutDto })
  updateSettings(@CurrentActor() actor: Actor, @Body() dto: RetentionSettingsDto): Promise<RetentionSettings> {
    return this.retention.updateSettings(actor, dto);
  }

  @RequirePermission('privacy.read')
  @ApiOperation({ summary: 'Receipts of deletions (licence expiry, erasure)' })
  @Get('admin/deletion-receipts')
  @ApiOkResponse({ type: DeletionReceiptPageDto })
  receipts(@CurrentActor() actor: Actor, @Query() q: PageQuery): Promise<Page<DeletionReceipt>> {
    return this.retention.receipts(actor, q.page, q.pageSize);
  }

  @RequirePermission('users.write')
  @ApiOperation({ summary: 'Erase a person of the organisation for good (right to be forgotten)' })
  @Refuses(409, 'You cannot erase yourself, nor a superuser')
  @Post('admin/users/:id/erase')
  @HttpCode(200)
  @ApiOkResponse({
    type: ErasureResultDto,
    description: 'Erases the user for good (right to be forgotten); the receipt is in the deletion receipts',
  })
  eraseInTenant(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Body() dto: ErasureDto,
  ): Promise<{ receiptId: string; verified: boolean }> {
    return this.erasure.erase(actor, p.id, dto.reason, dto.confirmEmail);
  }

  @RequirePermission('superuser.erase')
  @ApiOperation({ summary: 'Erase any person for good (operator support)' })
  @Refuses(409, 'Superusers are removed with the operator tools, not here')
  @Post('superuser/users/:id/erase')
  @HttpCode(200)
  @ApiOkResponse({
    type: ErasureResultDto,
    description: 'Erases a user of any tenant for good; the reason is kept on the receipt',
  })
  erase(
    @CurrentActor() actor: Actor,
    @Param() p: IdParam,
    @Body() dto: ErasureDto,
  ): Promise<{ receiptId: string; verified: boolean }> {
    return this.erasure.erase(actor, p.id, dto.reason, dto.confirmEmail);
  }
}
