import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import type { KeepPolicy, RetentionSettings } from '@rehearse/shared/contracts';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RetentionSettingsDto implements RetentionSettings {
  /** @example 45 */
  @ApiProperty({ description: 'days after licence expiry before recordings are deleted', default: 45 })
  @IsInt()
  @Min(1)
  @Max(3650)
  deleteAfterDays!: number;

  /** @example 14 */
  @ApiProperty({ description: 'days before deletion that the user is told', default: 14 })
  @IsInt()
  @Min(0)
  @Max(365)
  noticeDays!: number;

  @IsIn(['approval', 'automatic'])
  keepPolicy!: KeepPolicy;

  /** @example 365 */
  @ApiProperty({ description: 'how much longer recordings are kept when a keep request is granted', default: 365 })
  @IsInt()
  @Min(1)
  @Max(3650)
  keepDays!: number;
}

export class KeepDecisionDto {
  @IsIn(['approve', 'decline'])
  decision!: 'approve' | 'decline';
}

export class ErasureDto {
  /**
   * why the user is erased (their request, a ticket number …); kept on the receipt
   * @example 'The person asked to be forgotten (ticket 4712)'
   */
  @IsString()
  @Transform(trim)
  @MinLength(5)
  @MaxLength(500)
  reason!: string;

  /**
   * the user's e-mail address, typed again to confirm
   * @example 'ada.lovelace@northwind.example'
   */
  @IsString()
  @Transform(trim)
  @MaxLength(320)
  confirmEmail!: string;
}

export class AgreementEndDto {
  /**
   * the last day of the agreement (YYYY-MM-DD); null clears it
   * @example '2027-01-31'
   */
  @ValidateIf((_, v) => v !== null)
  @IsDateString({ strict: true })
  @MaxLength(10)
  endsOn!: string | null;
}
