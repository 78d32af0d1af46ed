import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import { AuthoriseRegistrationRequest, AuthoriseRegistrationResponse, type ServiceRequest } from '@dcc/proto';
import type { AdmittedRequest } from './admission.js';
import { smiStatusName, statusAllows } from './device-status-rules.js';

/** Decides E19 / E4 / E5 for an admitted request at request time; resolves when the request may go on. */
export interface RegistrationCheck {
  check(admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>, nowMs: number): Promise<void>;
}

export const DEFAULT_REGISTRATION_TIMEOUT_MS = 2_000;

/**
 * REGISTRATION_CHECKS=on: asks the registration service (`dcc.registration.authorise`, NATS request/reply
 * through the process's shared Requester) whether the device is in the inventory (E19) and whether the User
 * holds the appointment its role needs for the device's meter point now (E4), then applies the SMI status rule
 * table (device-status-rules.ts, E5). No answer within the timeout, or no registration service at all, is
 * UNAVAILABLE "registration unavailable": the request is refused and nothing is stored.
 *
 * Roles the registration view cannot answer: OU (consents) and RSA (agents) are not modelled, so registration
 * answers E4 for them by design (docs/srv-coverage.md).
 */
export class NatsRegistrationCheck implements RegistrationCheck {
  constructor(
    private readonly requester: Requester,
    private readonly timeoutMs = DEFAULT_REGISTRATION_TIMEOUT_MS,
  ) {}

  async check(admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>, nowMs: number): Promise<void> {
    if (admitted.srv.nonDevice) return; // the hub is the target: no device, no meter point
    const answer = await this.ask(admitted.request, admitted.id.originator, admitted.id.target, nowMs);
    decide(admitted, answer);
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

/** The refusal (if any) registration's answer means for this request. Exported for unit tests. */
export function decide(
  admitted: Pick<AdmittedRequest, 'request' | 'id' | 'srv'>,
  answer: AuthoriseRegistrationResponse,
): void {
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
}
