import { parseEui64 } from '@dcc/domain';
import {
  RegistrationMeterKind,
  type AuthoriseRegistrationRequest,
  type AuthoriseRegistrationResponse,
} from '@dcc/proto';
import { DEVICE_TYPE_NAMES, DeviceStatus, DeviceType, NO_PARTY } from '@dcc/registry';
import { cohortToWire, kindToWire, regionToWire, statusToWire, userRoleCode } from './codes.js';
import type { Clock } from './clock.js';
import type { RegistrationState } from './state.js';

/**
 * The registration check access control asks over NATS, for any device type of the inventory: E19 when the
 * inventory does not hold the device, E4 when the User did not hold the appointment its role needs at (one of)
 * the device's meter point(s) at the instant, '' (ok) otherwise. Every answer but E19 carries the device's
 * inventory facts (type, generation, SMETS1 cohort or CSP region, SMI status, comms hub, a GSME's GPF), from
 * which access control checks the device type (E11), the status (E5) and routes the request; plus the current
 * tenancy start and the start of the party's holding (data segregation). OU: ok while the party holds a
 * consent at the device's point at the instant (its start is the holding start), E4 otherwise.
 */
export function authorise(
  state: RegistrationState,
  request: AuthoriseRegistrationRequest,
  clock: Clock,
): AuthoriseRegistrationResponse {
  const { view } = state;
  const instant = request.instantMs || clock.now();
  const facts = view.deviceFacts(request.deviceId);
  if (!facts) {
    return {
      responseCode: 'E19',
      deviceStatus: statusToWire(DeviceStatus.NOT_APPLICABLE),
      mpxn: '',
      tenancyStartMs: 0,
      holdingStartMs: 0,
      deviceType: '',
      generation: RegistrationMeterKind.REGISTRATION_METER_KIND_UNSPECIFIED,
      smets1Cohort: 0,
      cspRegion: 0,
      commsHubId: '',
      gpfId: '',
      esmeVariant: '',
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
  // The point the answer speaks for: the one that authorises, else the device's first.
  let point = facts.points[0] ?? -1;
  if (role === 'OU') {
    // Other Users: a consent at the point at the instant (kept in the state's consent map, not the view).
    for (const candidate of facts.points) {
      const consent = consentOf(state, candidate, request.userId, instant);
      if (consent) {
        failure = undefined;
        holdingStartMs = consent.fromMs;
        point = candidate;
        break;
      }
    }
  } else if (role !== undefined) {
    failure = view.registrationFailure(party, role, request.deviceId, instant);
    if (failure === undefined) {
      holdingStartMs = Math.max(0, view.holdingStartMs(party, role, request.deviceId, instant));
      point = facts.points.find((p) => view.holds(party, role, p, instant)) ?? point;
    }
  }
  return {
    responseCode: failure ?? '',
    deviceStatus: statusToWire(facts.status),
    mpxn: point < 0 ? '' : view.describe(point).mpxn,
    tenancyStartMs: point < 0 ? 0 : state.tenancyAt(point, instant),
    holdingStartMs,
    deviceType: DEVICE_TYPE_NAMES[facts.type],
    generation: kindToWire(facts.generation),
    smets1Cohort: cohortToWire(facts.cohort),
    cspRegion: regionToWire(facts.cspRegion),
    commsHubId: facts.commsHubId ?? '',
    gpfId: facts.gpfId ?? '',
    esmeVariant: facts.type === DeviceType.ESME ? esmeVariantOf(state, request.deviceId) : '',
  };
}

/** An ESME installed at a point has its variant in the point's column; one installed nowhere, in its record. */
function esmeVariantOf(state: RegistrationState, deviceId: string): string {
  const point = state.view.pointOfDevice(deviceId);
  return point >= 0 ? state.devices.esmeVariantAt(point) : (state.devices.get(deviceId)?.esmeVariant ?? '');
}

function consentOf(state: RegistrationState, point: number, userId: string, instant: number) {
  try {
    return state.consentAt(point, parseEui64(userId, 'user_id'), instant);
  } catch {
    return undefined;
  }
}
