/**
 * The web app's view of the API checked against the API's own document (issue 14: one source per
 * API shape). `generated/openapi.ts` is generated from docs/openapi.json by openapi-typescript
 * (`npm run openapi:update`; a test fails when it is stale); each answer the web reads must be the
 * same type in both: a field the server documents differently from the contract fails the web's
 * type-check. (LoginResult is a union by `status` in the contracts and one object with optional
 * parts in the document: it is not compared.)
 */
import type * as C from '@rehearse/shared/contracts';
import type { components, operations } from './generated/openapi';
import type { PrivacyLogFilter } from './admin.api';

type S = components['schemas'];
/**
 * true only when A and B are assignable both ways and have the same fields (a field that is optional
 * in one and missing in the other leaves them assignable both ways)
 */
type Same<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
type Check<T extends true> = T;

export type ApiShapeChecks = [
  Check<Same<C.Me, S['MeDto']>>,
  Check<Same<C.HomeSummary, S['HomeSummaryDto']>>,
  Check<Same<C.TotpSetup, S['TotpSetupDto']>>,
  Check<Same<C.TrustedDevice, S['TrustedDeviceDto']>>,
  Check<Same<C.ActiveSession, S['ActiveSessionDto']>>,
  Check<Same<C.PrivacyLogEntry, S['PrivacyLogEntryDto']>>,
  Check<Same<C.PrivacyLogLooks, S['PrivacyLogLooksDto']>>,
  Check<Same<C.PrivacyLogIntegrity, S['PrivacyLogIntegrityDto']>>,
  Check<Same<C.UserSummary, S['UserSummaryDto']>>,
  Check<Same<C.UserDetail, S['UserDetailDto']>>,
  Check<Same<C.ImportResult, S['ImportResultDto']>>,
  Check<Same<C.LicencesSet, S['LicencesSetDto']>>,
  Check<Same<C.SetLicences, S['SetLicencesDto']>>,
  Check<Same<C.InvitationInfo, S['InvitationInfoDto']>>,
  Check<Same<C.PasswordResetInfo, S['PasswordResetInfoDto']>>,
  Check<Same<C.PasswordResetRequested, S['PasswordResetRequestedDto']>>,
  Check<Same<C.PendingEmailChange, S['PendingEmailChangeDto']>>,
  Check<Same<C.EmailChangeStatus, S['EmailChangeStatusDto']>>,
  Check<Same<C.MailPreferencesSetting, S['MailPreferencesDto']>>,
  Check<Same<C.EmailChangeInfo, S['EmailChangeInfoDto']>>,
  Check<Same<C.SessionsEnded, S['SessionsEndedDto']>>,
  Check<Same<C.SuperuserReport, S['SuperuserReportDto']>>,
  Check<Same<C.SuperuserSummary, S['SuperuserSummaryDto']>>,
  Check<Same<C.ImpersonationRecord, S['ImpersonationRecordDto']>>,
  Check<Same<C.SsoAvailability, S['SsoAvailabilityDto']>>,
  Check<Same<C.AccountSso, S['AccountSsoDto']>>,
  Check<Same<C.SsoSettings, S['SsoSettingsOutDto']>>,
  Check<Same<C.CourseSummary, S['CourseSummaryDto']>>,
  Check<Same<C.CourseDetail, S['CourseDetailDto']>>,
  Check<Same<C.Rubric, S['RubricDto']>>,
  Check<Same<C.Group, S['GroupDto']>>,
  Check<Same<C.GroupMember, S['GroupMemberDto']>>,
  Check<Same<C.GroupMembersChange, S['GroupMembersChangeDto']>>,
  Check<Same<C.Enrolment, S['EnrolmentDto']>>,
  Check<Same<C.LearnerCourseSummary, S['LearnerCourseSummaryDto']>>,
  Check<Same<C.LearnerCourse, S['LearnerCourseDto']>>,
  Check<Same<C.ParticipantProgress, S['ParticipantProgressDto']>>,
  Check<Same<C.AnswerSummary, S['AnswerSummaryDto']>>,
  Check<Same<C.RecordingSummary, S['RecordingSummaryDto']>>,
  Check<Same<C.PromptMediaView, S['PromptMediaViewDto']>>,
  Check<Same<C.TranscriptView, S['TranscriptDto']>>,
  Check<Same<C.TranscriptSearchHit, S['SearchHitDto']>>,
  Check<Same<C.AiReport, S['AiReportDto']>>,
  Check<Same<C.ReviewQueueItem, S['QueueItemDto']>>,
  Check<Same<C.ReviewContext, S['ReviewContextDto']>>,
  Check<Same<C.Review, S['ReviewDto']>>,
  Check<Same<C.AnswerFeedback, S['AnswerFeedbackDto']>>,
  Check<Same<C.PeerAssignment, S['PeerAssignmentDto']>>,
  Check<Same<C.ReportOverview, S['ReportOverviewDto']>>,
  Check<Same<C.FeedbackSettings, S['FeedbackSettingsOutDto']>>,
  Check<Same<C.CoachDigestSetting, S['CoachDigestSettingDto']>>,
  Check<Same<C.DataExport, S['DataExportDto']>>,
  Check<Same<C.MyRetention, S['MyRetentionDto']>>,
  Check<Same<C.RetentionSettings, S['RetentionSettingsOutDto']>>,
  Check<Same<C.DeletionReceipt, S['DeletionReceiptDto']>>,
  Check<Same<C.TenantAgreement, S['TenantAgreementDto']>>,
  Check<Same<C.NewOrganisation, S['NewOrganisationDto']>>,
  // a query's filters the web sends (the people list's licence and group filters)
  Check<
    Same<
      C.GroupFilterName,
      NonNullable<operations['AdminUsersController_list']['parameters']['query']>['group'] & string
    >
  >,
  Check<
    Same<
      C.LicenceFilterName,
      NonNullable<operations['AdminUsersController_list']['parameters']['query']>['licence'] & string
    >
  >,
  // the privacy log's filters, the same for its pages and its CSV
  Check<
    Same<
      PrivacyLogFilter,
      Omit<NonNullable<operations['AdminPrivacyLogController_list']['parameters']['query']>, 'page' | 'pageSize'>
    >
  >,
  Check<Same<PrivacyLogFilter, NonNullable<operations['AdminPrivacyLogController_export']['parameters']['query']>>>,
];
