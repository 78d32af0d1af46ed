import {
  DccError,
  GrpcStatus,
  isRoleEligible,
  parseRequestId,
  requireSrv,
  type CommandVariant,
  type Eui64,
  type RequestId,
  type SrvDefinition,
} from '@dcc/domain';
import type { FleetDevice } from '@dcc/meter';
import { srvBodiesOf, type ServiceRequest } from '@dcc/proto';
import {
  AVAILABLE_CRITICAL_VARIANTS,
  AVAILABLE_SRVS,
  AVAILABLE_VARIANTS,
  NON_DEVICE_OWNERS,
} from './availability.js';
import type { DeviceDirectory } from './device-directory.js';
import type { User, UserDirectory } from './user-directory.js';
import { roleCodeOf } from './user-role-mapping.js';

const MAX_FIELD_LENGTH = 128;

export interface AdmittedRequest {
  request: ServiceRequest;
  id: RequestId;
  user: User;
  srv: SrvDefinition;
  device: FleetDevice;
}

/**
 * Decides whether a Service Request may enter the hub: well formed, sent by an admitted User acting in a role
 * it holds, eligible for the SRV, with an allowed command variant, for a known device of a suitable type.
 * Every refusal is a DccError with the DUIS code (E1, E2, E11, E12, E19) or INVALID_ARGUMENT / UNIMPLEMENTED.
 */
export function admit(
  request: ServiceRequest | undefined,
  users: UserDirectory,
  devices: DeviceDirectory,
  authenticatedAs?: Eui64,
): AdmittedRequest {
  if (!request) throw DccError.invalidArgument('request is missing');
  for (const [field, value] of [
    ['request_id', request.requestId],
    ['service_reference_variant', request.serviceReferenceVariant],
  ] as const) {
    if (value.length > MAX_FIELD_LENGTH)
      throw DccError.invalidArgument(`${field} is longer than ${MAX_FIELD_LENGTH} characters`);
  }
  const id = parseRequestId(request.requestId);
  if (authenticatedAs && id.originator !== authenticatedAs) {
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      `RequestID originator ${id.originator} is not the authenticated User ${authenticatedAs}`,
    );
  }
  const srv = requireSrv(request.serviceReferenceVariant);
  const role = roleCodeOf(request.userRole);

  const user = users.find(id.originator);
  if (!user || !user.roles.includes(role)) {
    throw DccError.duis('E1', `User ${id.originator} is not admitted in role ${role}`);
  }
  if (user.status === 'suspended') {
    throw DccError.duis(
      'E3',
      `User ${id.originator} is suspended${user.statusReason ? `: ${user.statusReason}` : ''}`,
    );
  }
  if (!isRoleEligible(srv, role)) throw DccError.duis('E2', `role ${role} may not send SRV ${srv.srv}`);
  if (!srv.commandVariants.includes(request.commandVariant as CommandVariant)) {
    throw DccError.duis(
      'E12',
      `command variant ${request.commandVariant} is not applicable to SRV ${srv.srv}`,
    );
  }

  if (srv.nonDevice) {
    // Non-device SRVs target the hub itself; routing them to the service that answers them is not built yet
    // (registration serves 8.2, 8.3, 8.4 and 12.2 on its own gRPC API).
    throw new DccError(
      GrpcStatus.UNIMPLEMENTED,
      `SRV ${srv.srv} is answered by ${NON_DEVICE_OWNERS[srv.srv.split('.')[0]!] ?? 'the hub'}; routing it there is not yet available (see docs/srv-coverage.md)`,
    );
  }
  const device = devices.find(id.target);
  if (!device) throw DccError.duis('E19', `device ${id.target} does not exist`);
  if (!srv.deviceTypes.includes(device.type)) {
    throw DccError.duis('E11', `SRV ${srv.srv} does not apply to a ${device.type}`);
  }
  const variants = srv.critical ? AVAILABLE_CRITICAL_VARIANTS : AVAILABLE_VARIANTS;
  if (!AVAILABLE_SRVS.has(srv.srv) || !variants.has(request.commandVariant)) {
    throw new DccError(
      GrpcStatus.UNIMPLEMENTED,
      `SRV ${srv.srv} with command variant ${request.commandVariant} is not yet available (see docs/srv-coverage.md)`,
    );
  }
  // CV 5 takes its parameters from the signed pre-command (critical-commands.ts); a body there is optional.
  if (request.commandVariant !== 5 || request.body) checkBody(srv.srv, request);
  return { request, id, user, srv, device };
}

/**
 * The body must be the SRV's own parameters (ServiceRequest.body): another SRV's is refused, and so is none for
 * an SRV that needs parameters. SRVs without parameters (e.g. 4.1.1) accept an absent body. The values are the
 * device's to check.
 */
function checkBody(srv: string, request: ServiceRequest): void {
  const bodies = srvBodiesOf(srv);
  if (!bodies) {
    if (request.body) throw DccError.invalidArgument(`SRV ${srv} takes no body, not ${request.body.$case}`);
    return;
  }
  if (!request.body) {
    if (bodies.required) {
      throw DccError.invalidArgument(`SRV ${srv} needs its parameters: body ${bodies.request} is missing`);
    }
    return;
  }
  if (request.body.$case !== bodies.request) {
    throw DccError.invalidArgument(
      `SRV ${srv} takes body ${bodies.request}, not ${request.body.$case} (another SRV's parameters)`,
    );
  }
}
