import { parseEui64 } from '@dcc/domain';
import type { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse } from '@dcc/proto';
import { DeviceStatus, NO_PARTY } from '@dcc/registry';
import { statusToWire, userRoleCode } from './codes.js';
import type { Clock } from './clock.js';
import type { RegistrationState } from './state.js';

/**
 * The registration check access control asks over NATS: E19 when no point has the device, E4 when the User
 * did not hold the appointment its role needs at the instant, '' (ok) otherwise; with the device's SMI status
 * (E5 is the caller's decision) and the current tenancy start (change-of-tenancy data hiding).
 */
export function authorise(
  state: RegistrationState,
  request: AuthoriseRegistrationRequest,
  clock: Clock,
): AuthoriseRegistrationResponse {
  const { view } = state;
  const instant = request.instantMs || clock.now();
  const point = view.pointOfDevice(request.deviceId);
  if (point < 0) {
    return {
      responseCode: 'E19',
      deviceStatus: statusToWire(DeviceStatus.NOT_APPLICABLE),
      mpxn: '',
      tenancyStartMs: 0,
    };
  }
  const role = userRoleCode(request.userRole);
  let party = NO_PARTY;
  try {
    party = view.parties.indexOf(parseEui64(request.userId, 'user_id'));
  } catch {
    party = NO_PARTY;
  }
  const failure =
    role === undefined ? 'E4' : view.registrationFailure(party, role, request.deviceId, instant);
  const info = view.describe(point);
  return {
    responseCode: failure ?? '',
    deviceStatus: statusToWire(info.deviceStatus),
    mpxn: info.mpxn,
    tenancyStartMs: state.tenancyAt(point, instant),
  };
}
