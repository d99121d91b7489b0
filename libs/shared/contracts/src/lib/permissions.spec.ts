import { permissionsFor, ROLE_PERMISSIONS } from './permissions';
import { TENANT_ROLES } from './roles';

describe('role permissions', () => {
  it('gives every role its own account and privacy view', () => {
    for (const role of TENANT_ROLES)
      expect(ROLE_PERMISSIONS[role]).toEqual(expect.arrayContaining(['account.self', 'privacy.self']));
  });

  it('keeps administration to administrators and impersonation to superusers', () => {
    expect(permissionsFor(['participant', 'coach', 'content_developer'], false).has('users.read')).toBe(false);
    expect(permissionsFor(['administrator'], false).has('users.write')).toBe(true);
    expect(permissionsFor(['administrator'], false).has('superuser.impersonate')).toBe(false);
    expect(permissionsFor([], true).has('superuser.impersonate')).toBe(true);
    expect(permissionsFor([], true).has('users.read')).toBe(false);
  });
});
