import { Column, Entity, Index } from 'typeorm';
import type { TenantRole } from '@rehearse/shared/contracts';
import { BaseEntity } from './base';

@Entity('memberships')
@Index(['tenantId', 'userId', 'role'], { unique: true })
export class MembershipEntity extends BaseEntity {
  @Index()
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Index()
  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 32 })
  role!: TenantRole;
}
