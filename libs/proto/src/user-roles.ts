import type { UserRoleCode } from '@dcc/domain';
import { UserRole } from './gen/dcc/v1/user_role.js';

/** The wire's UserRole enum and the domain's DUIS role codes, both ways, in one place. */
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

const WIRE = Object.fromEntries(Object.entries(CODES).map(([wire, code]) => [code, Number(wire)])) as Record<
  UserRoleCode,
  UserRole
>;

/** The DUIS code of a wire role; undefined for USER_ROLE_UNSPECIFIED and unknown enum values. */
export function userRoleCodeOf(role: UserRole): UserRoleCode | undefined {
  return CODES[role];
}

export function wireUserRoleOf(code: UserRoleCode): UserRole {
  return WIRE[code];
}
