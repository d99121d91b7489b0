import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base';

@Entity('mfa_challenges')
export class MfaChallengeEntity extends BaseEntity {
  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  /** The code sealed for the mail worker; cleared once the mail is sent. */
  @Column({ name: 'code_sealed', type: 'text', nullable: true })
  codeSealed!: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
