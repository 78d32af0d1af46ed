import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse, type ServiceRequest } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import { segregationStartMs } from './data-segregation.js';
import { smiStatusName, statusAllows } from './device-status-rules.js';
import { roleCodeOf } from './user-role-mapping.js';

/** What registration allows a request that may go on. */
export interface RegistrationGrant {
  /** Data segregation (data-segregation.ts): the earliest instant a log read may reach; 0 = no limit. */
  dataFromMs: number;
}

/**
 * Decides E19 / E4 / E5 for an admitted request at request time; resolves when the request may go on, with
 * the data-segregation limit (none for non-device SRVs).
 */
export interface RegistrationCheck {
  check(
    admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>,
    nowMs: number,
  ): Promise<RegistrationGrant | undefined>;
}

export const DEFAULT_REGISTRATION_TIMEOUT_MS = 2_000;

/**
 * REGISTRATION_CHECKS=on: asks the registration service (`dcc.registration.authorise`, NATS request/reply
 * through the process's shared Requester) whether the device is in the inventory (E19) and whether the User
 * holds the appointment its role needs for the device's meter point now (E4), then applies the SMI status rule
 * table (device-status-rules.ts, E5). No answer within the timeout, or no registration service at all, is
 * UNAVAILABLE "registration unavailable": the request is refused and nothing is stored.
 *
 * OU is answered from registration's consents (ok while the Other User holds one at the point); RSA (agents)
 * is not modelled, so registration answers E4 for it by design (docs/srv-coverage.md).
 */
export class NatsRegistrationCheck implements RegistrationCheck {
  constructor(
    private readonly requester: Requester,
    private readonly timeoutMs = DEFAULT_REGISTRATION_TIMEOUT_MS,
  ) {}

  async check(
    admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>,
    nowMs: number,
  ): Promise<RegistrationGrant | undefined> {
    if (admitted.srv.nonDevice) return undefined; // the hub is the target: no device, no meter point
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
      return await requestTyped(
        this.requester,
        subjects.registrationAuthorise,
        {
          codec: AuthoriseRegistrationRequest,
          message: { userId, userRole: request.userRole, deviceId, instantMs: nowMs },
        },
        AuthoriseRegistrationResponse,
        this.timeoutMs,
      );
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
  switch (answer.responseCode) {
    case '':
      break;
    case 'E19':
      throw DccError.duis('E19', `device ${id.target} is not in the Smart Metering Inventory`);
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
  return { dataFromMs: segregationStartMs(roleCodeOf(admitted.request.userRole), answer) };
}
