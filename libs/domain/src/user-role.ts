/** DCC User Role codes (DCC-REFERENCE §1.1). MDR is the MHHS Meter Data Retrieval role. */
export const USER_ROLES = ['IS', 'ES', 'GS', 'ED', 'GT', 'OU', 'RSA', 'MDR'] as const;

export type UserRoleCode = (typeof USER_ROLES)[number];

export function isUserRoleCode(value: string): value is UserRoleCode {
  return (USER_ROLES as readonly string[]).includes(value);
}

/** Roles that act for the registered supplier of the meter point. */
export const SUPPLIER_ROLES: readonly UserRoleCode[] = ['IS', 'ES', 'GS'];

/** Roles that act for the network operator of the meter point. */
export const NETWORK_OPERATOR_ROLES: readonly UserRoleCode[] = ['ED', 'GT'];
