import { parseEui64 } from '@dcc/domain';
import type { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse } from '@dcc/proto';
import { DeviceStatus, NO_PARTY } from '@dcc/registry';
import { statusToWire, userRoleCode } from './codes.js';
import type { Clock } from './clock.js';
import type { RegistrationState } from './state.js';

/**
 * The registration check access control asks over NATS: E19 when no point has the device, E4 when the User
 * did not hold the appointment its role needs at the instant, '' (ok) otherwise; with the device's SMI status
 * (E5 is the caller's decision), the current tenancy start and the start of the party's holding (data
 * segregation: a supplier reads logged data from its appointment on). OU: ok while the party holds a consent
 * at the point at the instant (its start is the holding start), E4 otherwise.
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
      holdingStartMs: 0,
    };
  }
  const role = userRoleCode(request.userRole);
  let party = NO_PARTY;
  try {
    party = view.parties.indexOf(parseEui64(request.userId, 'user_id'));
  } catch {
    party = NO_PARTY;
  }
  let failure: 'E4' | 'E19' | undefined = 'E4';
  let holdingStartMs = 0;
  if (role === 'OU') {
    // Other Users: a consent at the point at the instant (kept in the state's consent map, not the view).
    const consent = consentOf(state, point, request.userId, instant);
    if (consent) {
      failure = undefined;
      holdingStartMs = consent.fromMs;
    }
  } else if (role !== undefined) {
    failure = view.registrationFailure(party, role, request.deviceId, instant);
    if (failure === undefined)
      holdingStartMs = Math.max(0, view.holdingStartMs(party, role, request.deviceId, instant));
  }
  const info = view.describe(point);
  return {
    responseCode: failure ?? '',
    deviceStatus: statusToWire(info.deviceStatus),
    mpxn: info.mpxn,
    tenancyStartMs: state.tenancyAt(point, instant),
    holdingStartMs,
  };
}

function consentOf(state: RegistrationState, point: number, userId: string, instant: number) {
  try {
    return state.consentAt(point, parseEui64(userId, 'user_id'), instant);
  } catch {
    return undefined;
  }
}
