import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';
import { MembershipEntity } from './membership.entity';
import { LicenceEntity } from './licence.entity';
import { MfaChallengeEntity } from './mfa-challenge.entity';
import { TrustedDeviceEntity } from './trusted-device.entity';
import { InvitationEntity } from './invitation.entity';
import { PrivacyLogEntity } from './privacy-log.entity';
import { ImpersonationEntity } from './impersonation.entity';

export * from './tenant.entity';
export * from './user.entity';
export * from './membership.entity';
export * from './licence.entity';
export * from './mfa-challenge.entity';
export * from './trusted-device.entity';
export * from './invitation.entity';
export * from './privacy-log.entity';
export * from './impersonation.entity';

/** Every entity, for the data source. */
export const ENTITIES = [
  TenantEntity,
  UserEntity,
  MembershipEntity,
  LicenceEntity,
  MfaChallengeEntity,
  TrustedDeviceEntity,
  InvitationEntity,
  PrivacyLogEntity,
  ImpersonationEntity,
];
