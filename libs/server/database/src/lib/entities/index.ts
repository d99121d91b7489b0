import { TenantEntity } from './tenant.entity';
import { UserEntity } from './user.entity';
import { MembershipEntity } from './membership.entity';
import { LicenceEntity } from './licence.entity';
import { MfaChallengeEntity } from './mfa-challenge.entity';
import { TrustedDeviceEntity } from './trusted-device.entity';
import { InvitationEntity } from './invitation.entity';
import { PrivacyLogEntity } from './privacy-log.entity';
import { ImpersonationEntity } from './impersonation.entity';

export {
  TenantEntity,
  UserEntity,
  MembershipEntity,
  LicenceEntity,
  MfaChallengeEntity,
  TrustedDeviceEntity,
  InvitationEntity,
  PrivacyLogEntity,
  ImpersonationEntity,
};

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
