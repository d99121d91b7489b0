import { AccountActivityRepository } from './account-activity.repository';
import { AccountActivity } from './account-activity.service';
import { PeopleDirectoryRepository } from './people-directory.repository';
import { MailPreferencesRepository } from './mail-preferences.repository';
import { MailPreferencesService } from './mail-preferences.service';
import { LicenceLifecycleRepository } from './licence-lifecycle.repository';
import { AccountsFootprintRepository } from './accounts-footprint.repository';
import { Module } from '@nestjs/common';
import { MailProducer, QueueModule } from '@rehearse/server/mail';
import { SecurityNotices } from './security-notices';
import { SecurityNoticesRepository } from './security-notices.repository';
import { PasswordHasher } from './password';
import { RedisClient } from './redis';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';
import { MfaService } from './mfa.service';
import { TrustedDevicesService } from './trusted-devices.service';
import { TrustedDevicesRepository } from './trusted-devices.repository';
import { MfaChallengesRepository } from './mfa-challenges.repository';
import { InvitationsRepository } from './invitations.repository';
import { PasswordResetsRepository } from './password-resets.repository';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetRequests } from './password-reset-requests.service';
import { NewPassword } from './new-password';
import { EmailChangesRepository } from './email-changes.repository';
import { EmailChangeService } from './email-change.service';
import { EmailChangeLinks } from './email-change-links.service';
import { SessionsRepository } from './sessions.repository';
import { UserTotpRepository } from './user-totp.repository';
import { UsersRepository } from './users.repository';
import { UserAdministrationRepository } from './user-administration.repository';
import { SuperusersRepository } from './superusers.repository';
import { TenantsRepository } from './tenants.repository';
import { LicencesRepository } from './licences.repository';
import { SsoRepository } from './sso.repository';
import { ImpersonationsRepository } from './impersonations.repository';
import { AuthService } from './auth.service';
import { UsersService } from './users.service';
import { UserRegistrationService } from './user-registration.service';
import { InvitationsService } from './invitations.service';
import { ImpersonationService } from './impersonation.service';
import { TenantsService } from './tenants.service';
import { AccountService } from './account.service';
import { CredentialsService } from './credentials.service';
import { AuthenticatorAppService } from './authenticator-app.service';
import { Reauthentication } from './reauthentication';
import { SsoService } from './sso.service';
import { SsoDiscovery } from './sso-discovery';
import { SsoParticipants } from './sso-participants';
import { SsoSettingsService } from './sso-settings.service';
import { LocalAuthGuard, LocalStrategy } from './local.strategy';
import { PassportModule } from '@nestjs/passport';

const SERVICES = [
  PasswordHasher,
  RedisClient,
  LoginThrottle,
  SessionsService,
  MfaService,
  TrustedDevicesService,
  TrustedDevicesRepository,
  MfaChallengesRepository,
  InvitationsRepository,
  PasswordResetsRepository,
  EmailChangesRepository,
  SessionsRepository,
  UserTotpRepository,
  UsersRepository,
  UserAdministrationRepository,
  SuperusersRepository,
  TenantsRepository,
  ImpersonationsRepository,
  LicencesRepository,
  SsoRepository,
  AuthService,
  UsersService,
  UserRegistrationService,
  InvitationsService,
  PasswordResetRequests,
  PasswordResetService,
  NewPassword,
  EmailChangeService,
  EmailChangeLinks,
  ImpersonationService,
  TenantsService,
  AccountService,
  Reauthentication,
  CredentialsService,
  AuthenticatorAppService,
  SsoService,
  SsoDiscovery,
  SsoParticipants,
  SsoSettingsService,
  MailPreferencesRepository,
  MailPreferencesService,
  AccountActivityRepository,
  AccountActivity,
  SecurityNoticesRepository,
  SecurityNotices,
  LocalStrategy,
  LocalAuthGuard,
];

@Module({
  imports: [QueueModule, PassportModule.register({ session: false })],
  providers: [...SERVICES, MailProducer],
  exports: SERVICES,
})
export class AccountsModule {}

const SHARED_REPOSITORIES = [
  AccountActivityRepository,
  AccountActivity,
  TenantsRepository,
  UsersRepository,
  LicencesRepository,
  AccountsFootprintRepository,
  LicenceLifecycleRepository,
  PeopleDirectoryRepository,
  MailPreferencesRepository,
  ImpersonationsRepository,
];

/**
 * The accounts repositories other libraries read organisations and people through (feedback's
 * settings, privacy's mail about a licence and its retention sweep, a person's footprint for privacy's export and erasure, for
 * example), without the sign-in machinery of AccountsModule; and the account activity each domain
 * records its changes of people's accounts in.
 */
@Module({ providers: SHARED_REPOSITORIES, exports: SHARED_REPOSITORIES })
export class AccountsRepositoriesModule {}
