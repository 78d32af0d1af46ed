import { DccError, type UserRoleCode } from '@dcc/domain';
import { UserRole } from '@dcc/proto';

const CODES: Partial<Record<UserRole, UserRoleCode>> = {
  [UserRole.USER_ROLE_IMPORT_SUPPLIER]: 'IS',
  [UserRole.USER_ROLE_EXPORT_SUPPLIER]: 'ES',
  [UserRole.USER_ROLE_GAS_SUPPLIER]: 'GS',
  [UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR]: 'ED',
  [UserRole.USER_ROLE_GAS_TRANSPORTER]: 'GT',
  [UserRole.USER_ROLE_OTHER_USER]: 'OU',
  [UserRole.USER_ROLE_REGISTERED_SUPPLIER_AGENT]: 'RSA',
  [UserRole.USER_ROLE_METER_DATA_RETRIEVER]: 'MDR',
};

/** The DUIS role code of a wire role; unspecified or unknown enum values are INVALID_ARGUMENT. */
export function roleCodeOf(role: UserRole): UserRoleCode {
  const code = CODES[role];
  if (code) return code;
  throw DccError.invalidArgument(
    role === UserRole.USER_ROLE_UNSPECIFIED
      ? 'user_role is required'
      : `user_role ${role} is not a known User Role`,
  );
}
