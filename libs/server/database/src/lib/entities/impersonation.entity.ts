import { Column, Entity, Index } from 'typeorm';
import { BaseEntity } from './base';

@Entity('impersonations')
export class ImpersonationEntity extends BaseEntity {
  @Index()
  @Column({ name: 'superuser_id', type: 'uuid' })
  superuserId!: string;

  @Index()
  @Column({ name: 'target_user_id', type: 'uuid' })
  targetUserId!: string;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;
}
