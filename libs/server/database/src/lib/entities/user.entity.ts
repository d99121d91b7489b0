import { Column, Entity, Index } from 'typeorm';
import type { UserStatus } from '@rehearse/shared/contracts';
import { MutableEntity } from './base';

@Entity('users')
export class UserEntity extends MutableEntity {
  /** null only for platform superusers */
  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId!: string | null;

  /** stored lower-cased; unique across the installation so an e-mail identifies one account */
  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: UserStatus;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @Column({ name: 'totp_secret_sealed', type: 'text', nullable: true })
  totpSecretSealed!: string | null;

  @Column({ name: 'totp_enabled', type: 'boolean', default: false })
  totpEnabled!: boolean;

  /** The last accepted TOTP time step: a code is accepted once. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  /** Changes on every password or second-factor change; trusted devices bound to an old stamp die. */
  @Column({ name: 'security_stamp', type: 'uuid' })
  securityStamp!: string;

  @Column({ name: 'is_superuser', type: 'boolean', default: false })
  isSuperuser!: boolean;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt!: Date | null;

  /** 'en' or 'nl': the web app, e-mails and AI explanations; null until chosen or first sign-in */
  @Column({ name: 'locale', type: 'text', nullable: true })
  locale!: string | null;
}
