import { DccError, GrpcStatus } from '@dcc/domain';
import type { RequestWanMatrixRequest, WanMatrixResponse } from '@dcc/proto';
import { CspRegion, DeviceStatus } from '@dcc/registry';
import { regionToWire } from './codes.js';
import type { RegistrationState } from './state.js';

/**
 * SRV 12.1 Request WAN Matrix, answered from what registration holds, not from a CSP coverage database (the hub
 * has none): the meter points whose feed gives the premises at that postcode (and address identifier, when the
 * request names one). Their CSP region is the SMETS2 installations' (registration records it per point); the SM
 * WAN is shown to reach the address when a communications hub there is Commissioned, connectivity "High" then.
 * Otherwise coverage is not shown (false) and the likelihood is not known (empty): the hub does not guess. An
 * address where registration holds no premises is NOT_FOUND; a malformed postcode INVALID_ARGUMENT (access control
 * checks it first too).
 */
export function wanMatrix(state: RegistrationState, request: RequestWanMatrixRequest): WanMatrixResponse {
  if (request.postCode.trim() === '') throw DccError.invalidArgument('post_code is required');
  const points = state.addresses.pointsAt(request.postCode, request.addressIdentifier);
  if (points.length === 0) {
    const where = [request.postCode, request.addressIdentifier].filter((s) => s !== '').join(', ');
    throw new DccError(GrpcStatus.NOT_FOUND, `registration holds no premises at ${where}`);
  }
  const regions = points.map((p) => state.view.describe(p).cspRegion).filter((r) => r !== CspRegion.NONE);
  const covered = points.some((p) => commissionedHubAt(state, p));
  return {
    postCode: request.postCode,
    addressIdentifier: request.addressIdentifier,
    cspRegion: regionToWire(regions[0] ?? CspRegion.NONE),
    coverageAvailability: covered,
    connectivityLikelihood: covered ? 'High' : '',
    premisesCount: points.length,
  };
}

/** Whether the point's comms hub (its meter's, or a CHF joined to the point) is Commissioned. */
function commissionedHubAt(state: RegistrationState, point: number): boolean {
  const devices = state.devices.at(point);
  const hubIds = new Set(devices.map((d) => (d.deviceType === 'CHF' ? d.deviceId : d.commsHubId)));
  return [...hubIds].some((id) => id !== '' && state.devices.get(id)?.status === DeviceStatus.COMMISSIONED);
}
