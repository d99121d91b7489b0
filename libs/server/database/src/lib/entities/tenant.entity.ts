import { Column, Entity } from 'typeorm';
import { MutableEntity } from './base';

@Entity('tenants')
export class TenantEntity extends MutableEntity {
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  /** Some clients demand upper, lower, digit and symbol in every password. */
  @Column({ name: 'require_password_complexity', type: 'boolean', default: false })
  requirePasswordComplexity!: boolean;
}
