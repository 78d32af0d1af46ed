import { USER_ROLES } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { UserRole } from './gen/dcc/v1/user_role.js';
import { userRoleCodeOf, wireUserRoleOf } from './user-roles.js';

describe('user role mapping', () => {
  it('maps every DUIS role code to a wire role and back', () => {
    for (const code of USER_ROLES) expect(userRoleCodeOf(wireUserRoleOf(code))).toBe(code);
    expect(new Set(USER_ROLES.map(wireUserRoleOf)).size).toBe(USER_ROLES.length);
  });

  it('has no code for the unspecified or an unknown role', () => {
    expect(userRoleCodeOf(UserRole.USER_ROLE_UNSPECIFIED)).toBeUndefined();
    expect(userRoleCodeOf(99 as UserRole)).toBeUndefined();
  });
});
