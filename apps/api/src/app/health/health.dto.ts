/* The health routes' response shapes (their OpenAPI schemas come from these declarations: npm run openapi:metadata). */
import type { HealthReport } from '@rehearse/shared/contracts';
import { ApiProperty } from '@nestjs/swagger';

export class HealthCheckDto {
  status!: 'up' | 'down';
  /** @example 'answered in 2 ms' */
  detail?: string;
}

export class LivenessDto {
  // a one-value enum: the plugin reads a single literal type as its base type
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class HealthReportDto implements HealthReport {
  status!: 'ok' | 'degraded';
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/HealthCheckDto' },
    example: { database: { status: 'up' }, redis: { status: 'up' } },
  })
  checks!: Record<string, HealthCheckDto>;
}
