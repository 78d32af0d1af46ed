import { DccError, type UserRoleCode } from '@dcc/domain';
import { UserRole, userRoleCodeOf } from '@dcc/proto';

/** The DUIS role code of a wire role; unspecified or unknown enum values are INVALID_ARGUMENT. */
export function roleCodeOf(role: UserRole): UserRoleCode {
  const code = userRoleCodeOf(role);
  if (code) return code;
  throw DccError.invalidArgument(
    role === UserRole.USER_ROLE_UNSPECIFIED
      ? 'user_role is required'
      : `user_role ${role} is not a known User Role`,
  );
}
