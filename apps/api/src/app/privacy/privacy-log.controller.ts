import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Page, PrivacyLogEntry } from '@rehearse/shared/contracts';
import { AccessService, Actor, CurrentActor, RequirePermission } from '@rehearse/server/access';
import { PrivacyLogQuery, SubjectQuery, UsersRepository } from '@rehearse/server/accounts';
import { notFound, safeCell } from '@rehearse/server/core';
import { PrivacyLogReader } from '@rehearse/server/privacy';
import { PrivacyLogPageDto } from '@rehearse/server/access';

@ApiTags('administration')
@Controller('admin/privacy-log')
export class AdminPrivacyLogController {
  constructor(
    private readonly privacy: PrivacyLogReader,
    private readonly access: AccessService,
    private readonly users: UsersRepository,
  ) {}

  private async scope(actor: Actor, subjectId?: string): Promise<{ tenantId: string; subjectId?: string }> {
    const tenantId = this.access.tenantOf(actor);
    if (subjectId && !(await this.users.exists(tenantId, subjectId))) throw notFound('User');
    return { tenantId, subjectId };
  }

  @RequirePermission('privacy.read')
  @ApiOperation({ summary: "The organisation's privacy log, newest first" })
  @Get()
  @ApiOkResponse({ type: PrivacyLogPageDto })
  async list(@CurrentActor() actor: Actor, @Query() q: PrivacyLogQuery): Promise<Page<PrivacyLogEntry>> {
    return this.privacy.list(await this.scope(actor, q.subjectId), q.page, q.pageSize);
  }

  @RequirePermission('privacy.read')
  @ApiOperation({ summary: 'Download the privacy log as CSV (streamed)' })
  @Get('export')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The privacy log (of one user with subjectId) as CSV', schema: { type: 'string' } })
  async export(@CurrentActor() actor: Actor, @Query() q: SubjectQuery, @Res() res: Response): Promise<void> {
    const scope = await this.scope(actor, q.subjectId);
    const name = `privacy-log${q.subjectId ? `-${q.subjectId}` : ''}.csv`;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    // streamed: one batch of rows in memory whatever the log's size, and the socket's backpressure
    // paces the reads (a slow client holds one batch, not the log)
    const rows = Readable.from(
      (async function* (entries: AsyncGenerator<PrivacyLogEntry>) {
        for await (const r of entries) {
          yield [
            r.at,
            safeCell(r.actorName),
            r.actorId ?? '',
            r.actorRole,
            safeCell(r.subjectName),
            r.subjectId,
            r.objectType,
            r.objectId,
            r.action,
            safeCell(r.impersonatorName),
            r.impersonatorId ?? '',
          ];
        }
      })(this.privacy.stream(scope)),
    );
    const csv = stringify({
      header: true,
      columns: [
        'at',
        'actor',
        'actor_id',
        'actor_role',
        'subject',
        'subject_id',
        'object_type',
        'object_id',
        'action',
        'impersonator',
        'impersonator_id',
      ],
    });
    await pipeline(rows, csv, res).catch((err: unknown) => {
      // headers are gone once the first byte is: a broken export ends the connection, visibly incomplete
      if (!res.headersSent) throw err;
      res.destroy(err instanceof Error ? err : undefined);
    });
  }
}
