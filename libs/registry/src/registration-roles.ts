import type { UserRoleCode } from '@dcc/domain';
import { AppointmentRole, Fuel } from './codes.js';

/**
 * Which appointment a User Role must hold on a point of the given fuel for registration-based access
 * (DCC-REFERENCE §1.1, §5), or -1 when none can: a role for the other fuel (IS on a gas point), or a role the
 * view does not decide. OU (consent) and RSA (agent of the supplier) are authorised by data this view does
 * not hold, so they get -1 and fail closed with E4; callers decide them elsewhere before asking.
 */
export function appointmentRoleFor(userRole: UserRoleCode, fuel: Fuel): AppointmentRole | -1 {
  const electricity = fuel === Fuel.ELECTRICITY;
  switch (userRole) {
    case 'IS':
      return electricity ? AppointmentRole.SUPPLIER : -1;
    case 'GS':
      return electricity ? -1 : AppointmentRole.SUPPLIER;
    case 'ES':
      return electricity ? AppointmentRole.EXPORT_SUPPLIER : -1;
    case 'ED':
      return electricity ? AppointmentRole.NETWORK_OPERATOR : -1;
    case 'GT':
      return electricity ? -1 : AppointmentRole.NETWORK_OPERATOR;
    case 'MDR':
      return electricity ? AppointmentRole.MDR : -1;
    default:
      return -1;
  }
}
