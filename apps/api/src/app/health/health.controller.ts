import { Controller, Get, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { HealthReport } from '@rehearse/shared/contracts';
import { Public } from '@rehearse/server/access';
import { databaseReachable } from '@rehearse/server/database';
import { RedisClient } from '@rehearse/server/accounts';
import { HealthReportDto, LivenessDto } from './health.dto';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisClient,
  ) {}

  /** Liveness: the process answers (Kubernetes' liveness probe; no dependency is checked). */
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @Get('live')
  @ApiOkResponse({ type: LivenessDto, description: 'while the process serves requests' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: PostgreSQL and Redis answer (503 otherwise). */
  @Public()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis answer' })
  @Get()
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({ type: HealthReportDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const [db, redis] = await Promise.all([databaseReachable(this.db), this.redis.ping()]);
    const ok = db && redis;
    if (!ok) res.status(503);
    return {
      status: ok ? 'ok' : 'degraded',
      checks: { database: { status: db ? 'up' : 'down' }, redis: { status: redis ? 'up' : 'down' } },
    };
  }
}
