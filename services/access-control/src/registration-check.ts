import type { MeterPath, Requester } from '@dcc/bus';
import { DccError, DEVICE_TYPES, GrpcStatus, type DeviceType } from '@dcc/domain';
import {
  RegistrationMeterKind,
  type AuthoriseRegistrationResponse,
  type RegistrationCspRegion,
  type RegistrationSmets1Cohort,
  type ServiceRequest,
} from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import { AuthoriseBatcher } from './authorise-batcher.js';
import { segregationStartMs } from './data-segregation.js';
import { smiStatusName, statusAllows } from './device-status-rules.js';
import { roleCodeOf } from './user-role-mapping.js';

/** What registration allows a request that may go on. */
export interface RegistrationGrant {
  /** Data segregation (data-segregation.ts): the earliest instant a log read may reach; 0 = no limit. */
  dataFromMs: number;
  /** The inventory's type of the target device. */
  deviceType: DeviceType;
  /**
   * The delivery path of the device's generation: `s2` (SMETS2, the smets2-adapter) or `s1` (SMETS1: stored on
   * METER_MAIL under `dcc.meter.s1.*` for the SMETS1 adapter, docs/architecture.md).
   */
  path: MeterPath;
  /** The SMETS1 cohort of the device's meter point (unspecified for SMETS2), carried on the meter command. */
  smets1Cohort: RegistrationSmets1Cohort;
  /**
   * The SMETS2 delivery facts carried on the meter command: the installation's CSP region, the comms hub (CHF)
   * the device communicates through and a GSME's gas proxy function ('' when none is recorded).
   */
  cspRegion: RegistrationCspRegion;
  commsHubId: string;
  gpfId: string;
  /** An ESME's variant as the inventory records it ('' when none or not an ESME), carried on the meter command. */
  esmeVariant: string;
  /** The MPAN or MPRN of the device's meter point now ('' when registration names none). */
  mpxn: string;
}

/**
 * Decides E19 / E11 / E4 / E5 for an admitted device request at request time from the Smart Metering
 * Inventory; resolves when the request may go on, with the data-segregation limit and the delivery path.
 */
export interface RegistrationCheck {
  check(admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>, nowMs: number): Promise<RegistrationGrant>;
}

export const DEFAULT_REGISTRATION_TIMEOUT_MS = 2_000;

/**
 * Asks the registration service (`dcc.registration.authorise`, NATS request/reply through the process's shared
 * Requester) about every device request: whether the inventory holds the device (E19), what it is (type: E11
 * when the SRV does not apply to it; generation: the delivery path), whether the User holds the appointment its
 * role needs for the device's meter point now (E4), then applies the SMI status rule table
 * (device-status-rules.ts, E5). No answer within the timeout, or no registration service at all, is
 * UNAVAILABLE "registration unavailable": the request is refused and nothing is stored.
 *
 * Asking registration, rather than keeping a replica of the inventory here, keeps one copy of a 2 GB view per
 * hub instead of one per access-control instance; the answer is computed at memory speed in registration and
 * costs one NATS round trip (docs/performance.md), which every device request already paid for E4. Under load the
 * round trips of concurrent requests are shared (authorise-batcher.ts): each is still asked for its own instant.
 *
 * OU is answered from registration's consents (ok while the Other User holds one at the point); RSA (agents)
 * is not modelled, so registration answers E4 for it by design (docs/srv-coverage.md).
 */
export class NatsRegistrationCheck implements RegistrationCheck {
  private readonly batcher: AuthoriseBatcher;

  constructor(requester: Requester, timeoutMs = DEFAULT_REGISTRATION_TIMEOUT_MS) {
    this.batcher = new AuthoriseBatcher(requester, timeoutMs);
  }

  async check(
    admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>,
    nowMs: number,
  ): Promise<RegistrationGrant> {
    if (admitted.srv.nonDevice) {
      // The hub is the target of a non-device SRV: no device, no meter point (request-intake routes those).
      throw DccError.invalidArgument(`SRV ${admitted.srv.srv} has no target device to authorise`);
    }
    const answer = await this.ask(admitted.request, admitted.id.originator, admitted.id.target, nowMs);
    return decide(admitted, answer);
  }

  private async ask(
    request: ServiceRequest,
    userId: string,
    deviceId: string,
    nowMs: number,
  ): Promise<AuthoriseRegistrationResponse> {
    try {
      return await this.batcher.ask({ userId, userRole: request.userRole, deviceId, instantMs: nowMs });
    } catch (error) {
      throw DccError.unavailable(`registration unavailable: ${(error as Error).message}`);
    }
  }
}

/**
 * The refusal (if any) registration's answer means for this request, else what it grants. Exported for unit
 * tests.
 */
export function decide(
  admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>,
  answer: AuthoriseRegistrationResponse,
): RegistrationGrant {
  const { id, srv } = admitted;
  if (answer.responseCode === 'E19') {
    throw DccError.duis('E19', `device ${id.target} is not in the Smart Metering Inventory`);
  }
  const deviceType = DEVICE_TYPES.find((t) => t === answer.deviceType);
  if (deviceType === undefined) {
    throw DccError.unavailable(`registration unavailable: unexpected device type "${answer.deviceType}"`);
  }
  if (!srv.deviceTypes.includes(deviceType)) {
    throw DccError.duis(
      'E11',
      `SRV ${srv.srv} does not apply to a ${deviceType}: device ${id.target} is one in the Smart Metering Inventory`,
    );
  }
  switch (answer.responseCode) {
    case '':
      break;
    case 'E4':
      throw DccError.duis(
        'E4',
        `User ${id.originator} does not hold the appointment its role needs for device ${id.target}${answer.mpxn ? ` (MPxN ${answer.mpxn})` : ''} now`,
      );
    default:
      throw DccError.unavailable(`registration unavailable: unexpected answer ${answer.responseCode}`);
  }
  if (!statusAllows(answer.deviceStatus, srv)) {
    throw DccError.duis(
      'E5',
      `device ${id.target} is ${smiStatusName(answer.deviceStatus)} in the Smart Metering Inventory; SRV ${srv.srv} is not allowed in that status`,
    );
  }
  return {
    dataFromMs: segregationStartMs(roleCodeOf(admitted.request.userRole), answer),
    deviceType,
    path: pathOf(answer.generation, id.target),
    smets1Cohort: answer.smets1Cohort,
    cspRegion: answer.cspRegion,
    commsHubId: answer.commsHubId,
    gpfId: answer.gpfId,
    esmeVariant: answer.esmeVariant,
    mpxn: answer.mpxn,
  };
}

function pathOf(generation: RegistrationMeterKind, deviceId: string): MeterPath {
  if (generation === RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2) return 's2';
  if (generation === RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS1) return 's1';
  throw new DccError(
    GrpcStatus.FAILED_PRECONDITION,
    `the Smart Metering Inventory records no SMETS generation for device ${deviceId}: no delivery path`,
  );
}
