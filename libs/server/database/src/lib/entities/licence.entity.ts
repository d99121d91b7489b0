import { Column, Entity, Index } from 'typeorm';
import { MutableEntity } from './base';

@Entity('licences')
export class LicenceEntity extends MutableEntity {
  @Index()
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'user_id', type: 'uuid', unique: true })
  userId!: string;

  /** ISO dates (YYYY-MM-DD), inclusive */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'expires_on', type: 'date' })
  expiresOn!: string;
}
