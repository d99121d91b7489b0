import { Routes } from '@angular/router';
import { permissionGuard, signedInGuard, signedOutGuard } from './core/guards';
import { unsavedWorkGuard } from './core/unsaved-work';

export const routes: Routes = [
  {
    path: 'login',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage),
    title: $localize`Sign in · Rehearse`,
  },
  {
    path: 'password-reset',
    canActivate: [signedOutGuard],
    loadComponent: () => import('./features/password-reset/forgot-password.page').then((m) => m.ForgotPasswordPage),
    title: $localize`Forgot your password? · Rehearse`,
  },
  {
    path: 'password-reset/:token',
    loadComponent: () => import('./features/password-reset/password-reset.page').then((m) => m.PasswordResetPage),
    title: $localize`Choose a new password · Rehearse`,
  },
  {
    path: 'email-change/:token',
    loadComponent: () => import('./features/email-change/email-change.page').then((m) => m.EmailChangePage),
    title: $localize`Confirm your new e-mail address · Rehearse`,
  },
  {
    path: 'unsubscribe',
    loadComponent: () => import('./features/unsubscribe/unsubscribe.page').then((m) => m.UnsubscribePage),
    title: $localize`Stop e-mails · Rehearse`,
  },
  {
    // no sign-in: whoever was handed a receipt checks it against this installation's key
    path: 'receipts/check',
    loadComponent: () => import('./features/receipts/receipt-check.page').then((m) => m.ReceiptCheckPage),
    title: $localize`Check a receipt · Rehearse`,
  },
  {
    path: 'invitation/:token',
    loadComponent: () => import('./features/invitation/invitation.page').then((m) => m.InvitationPage),
    title: $localize`Welcome · Rehearse`,
  },
  {
    path: '',
    canActivate: [signedInGuard],
    children: [
      {
        path: '',
        pathMatch: 'full',
        loadComponent: () => import('./features/home/home.page').then((m) => m.HomePage),
        title: $localize`Rehearse`,
      },
      {
        path: 'my/data',
        loadComponent: () => import('./features/privacy/my-data.page').then((m) => m.MyDataPage),
        title: $localize`My data · Rehearse`,
      },
      {
        path: 'admin/sso',
        canActivate: [permissionGuard('tenant.write')],
        loadComponent: () => import('./features/admin/sso-settings.page').then((m) => m.SsoSettingsPage),
        title: $localize`Single sign-on · Rehearse`,
      },
      {
        path: 'admin/retention',
        canActivate: [permissionGuard('tenant.write')],
        loadComponent: () => import('./features/privacy/retention-admin.page').then((m) => m.RetentionAdminPage),
        title: $localize`Retention · Rehearse`,
      },
      {
        path: 'account',
        loadComponent: () => import('./features/account/account.page').then((m) => m.AccountPage),
        title: $localize`My account · Rehearse`,
      },
      {
        path: 'admin/users',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/admin/users.page').then((m) => m.UsersPage),
        title: $localize`People · Rehearse`,
      },
      {
        path: 'admin/users/:id',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/admin/user-detail.page').then((m) => m.UserDetailPage),
        title: $localize`Person · Rehearse`,
      },
      {
        path: 'admin/activity',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/admin/account-activity.page').then((m) => m.AccountActivityPage),
        title: $localize`Account activity · Rehearse`,
      },
      {
        path: 'admin/privacy-log',
        canActivate: [permissionGuard('privacy.read')],
        loadComponent: () => import('./features/admin/privacy-log.page').then((m) => m.PrivacyLogPage),
        title: $localize`Privacy log · Rehearse`,
      },
      {
        path: 'learn',
        canActivate: [permissionGuard('courses.learn')],
        loadComponent: () => import('./features/learn/my-courses.page').then((m) => m.MyCoursesPage),
        title: $localize`My courses · Rehearse`,
      },
      {
        path: 'learn/:id',
        canActivate: [permissionGuard('courses.learn')],
        loadComponent: () => import('./features/learn/course.page').then((m) => m.LearnerCoursePage),
        title: $localize`Course · Rehearse`,
      },
      {
        path: 'coaching/groups/:groupId/courses/:id',
        canActivate: [permissionGuard('coaching.read')],
        loadComponent: () => import('./features/learn/course.page').then((m) => m.LearnerCoursePage),
        title: $localize`Course · Rehearse`,
      },
      {
        path: 'recordings/search',
        canActivate: [permissionGuard('transcripts.search')],
        loadComponent: () => import('./features/recordings/transcript-search.page').then((m) => m.TranscriptSearchPage),
        title: $localize`Search transcripts · Rehearse`,
      },
      {
        path: 'recordings/:id',
        canActivate: [permissionGuard('recordings.read')],
        loadComponent: () => import('./features/recordings/recording.page').then((m) => m.RecordingPage),
        title: $localize`Recording · Rehearse`,
      },
      {
        path: 'coaching/reviews',
        canActivate: [permissionGuard('coaching.read')],
        loadComponent: () => import('./features/feedback/review-queue.page').then((m) => m.ReviewQueuePage),
        title: $localize`To review · Rehearse`,
      },
      {
        path: 'review/:id',
        canActivate: [permissionGuard('feedback.give')],
        canDeactivate: [unsavedWorkGuard()],
        loadComponent: () => import('./features/feedback/review.page').then((m) => m.ReviewPage),
        title: $localize`Review · Rehearse`,
      },
      {
        path: 'answers/:id',
        canActivate: [permissionGuard('feedback.read')],
        loadComponent: () => import('./features/feedback/answer-feedback.page').then((m) => m.AnswerFeedbackPage),
        title: $localize`Feedback · Rehearse`,
      },
      {
        path: 'peer-reviews',
        canActivate: [permissionGuard('courses.learn')],
        loadComponent: () => import('./features/feedback/peer-reviews.page').then((m) => m.PeerReviewsPage),
        title: $localize`Peer reviews · Rehearse`,
      },
      {
        path: 'reports',
        canActivate: [permissionGuard('reports.read')],
        loadComponent: () => import('./features/feedback/reports.page').then((m) => m.ReportsPage),
        title: $localize`Reports · Rehearse`,
      },
      {
        path: 'admin/feedback-settings',
        canActivate: [permissionGuard('tenant.write')],
        loadComponent: () => import('./features/feedback/feedback-settings.page').then((m) => m.FeedbackSettingsPage),
        title: $localize`Feedback settings · Rehearse`,
      },
      {
        path: 'coaching',
        canActivate: [permissionGuard('coaching.read')],
        loadComponent: () => import('./features/coaching/coaching.page').then((m) => m.CoachingPage),
        title: $localize`My groups · Rehearse`,
      },
      {
        path: 'authoring/courses',
        canActivate: [permissionGuard('courses.author')],
        loadComponent: () => import('./features/authoring/courses.page').then((m) => m.AuthoringCoursesPage),
        title: $localize`Courses · Rehearse`,
      },
      {
        path: 'authoring/courses/:id',
        canActivate: [permissionGuard('courses.author')],
        canDeactivate: [unsavedWorkGuard()],
        loadComponent: () => import('./features/authoring/course-editor.page').then((m) => m.CourseEditorPage),
        title: $localize`Course editor · Rehearse`,
      },
      {
        path: 'authoring/courses/:id/preview',
        canActivate: [permissionGuard('courses.author')],
        data: { preview: true },
        loadComponent: () => import('./features/learn/course.page').then((m) => m.LearnerCoursePage),
        title: $localize`Preview · Rehearse`,
      },
      {
        path: 'authoring/rubrics',
        canActivate: [permissionGuard('courses.author')],
        loadComponent: () => import('./features/authoring/rubrics.page').then((m) => m.RubricsPage),
        title: $localize`Rubrics · Rehearse`,
      },
      {
        path: 'admin/groups',
        canActivate: [permissionGuard('groups.manage')],
        loadComponent: () => import('./features/admin/groups.page').then((m) => m.GroupsPage),
        title: $localize`Groups · Rehearse`,
      },
      {
        path: 'admin/groups/:id',
        canActivate: [permissionGuard('groups.manage')],
        loadComponent: () => import('./features/admin/group-detail.page').then((m) => m.GroupDetailPage),
        title: $localize`Group · Rehearse`,
      },
      {
        path: 'superuser',
        canActivate: [permissionGuard('superuser.impersonate')],
        loadComponent: () => import('./features/superuser/superuser.page').then((m) => m.SuperuserPage),
        title: $localize`Support · Rehearse`,
      },
    ],
  },
  {
    path: '**',
    loadComponent: () => import('./features/not-found.page').then((m) => m.NotFoundPage),
    title: $localize`Not found · Rehearse`,
  },
];
