import { Routes } from '@angular/router';
import { permissionGuard, signedInGuard, signedOutGuard } from './core/guards';

export const routes: Routes = [
  { path: 'login', canActivate: [signedOutGuard], loadComponent: () => import('./features/login/login.page').then((m) => m.LoginPage), title: 'Sign in · Rehearse' },
  { path: 'invitation/:token', loadComponent: () => import('./features/invitation/invitation.page').then((m) => m.InvitationPage), title: 'Welcome · Rehearse' },
  {
    path: '',
    canActivate: [signedInGuard],
    children: [
      { path: '', pathMatch: 'full', loadComponent: () => import('./features/home/home.page').then((m) => m.HomePage), title: 'Rehearse' },
      { path: 'account', loadComponent: () => import('./features/account/account.page').then((m) => m.AccountPage), title: 'My account · Rehearse' },
      {
        path: 'admin/users',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/admin/users.page').then((m) => m.UsersPage),
        title: 'People · Rehearse',
      },
      {
        path: 'admin/users/:id',
        canActivate: [permissionGuard('users.read')],
        loadComponent: () => import('./features/admin/user-detail.page').then((m) => m.UserDetailPage),
        title: 'Person · Rehearse',
      },
      {
        path: 'admin/privacy-log',
        canActivate: [permissionGuard('privacy.read')],
        loadComponent: () => import('./features/admin/privacy-log.page').then((m) => m.PrivacyLogPage),
        title: 'Privacy log · Rehearse',
      },
      {
        path: 'superuser',
        canActivate: [permissionGuard('superuser.impersonate')],
        loadComponent: () => import('./features/superuser/superuser.page').then((m) => m.SuperuserPage),
        title: 'Support · Rehearse',
      },
    ],
  },
  { path: '**', loadComponent: () => import('./features/not-found.page').then((m) => m.NotFoundPage), title: 'Not found · Rehearse' },
];
