import {
  DccError,
  GrpcStatus,
  isRoleEligible,
  parseEui64,
  parseRequestId,
  requireSrv,
  type CommandVariant,
  type Eui64,
  type RequestId,
  type SrvDefinition,
} from '@dcc/domain';
import { srvBodiesOf, type ServiceRequest } from '@dcc/proto';
import {
  AVAILABLE_CRITICAL_VARIANTS,
  AVAILABLE_SRVS,
  AVAILABLE_VARIANTS,
  NON_DEVICE_OWNERS,
  NON_DEVICE_VARIANT,
  ROUTED_NON_DEVICE_SRVS,
} from './availability.js';
import { checkLocalDelivery } from './local-delivery.js';
import type { User, UserDirectory } from './user-directory.js';
import { roleCodeOf } from './user-role-mapping.js';

const MAX_FIELD_LENGTH = 128;

/**
 * A device SRV that passed the checks admission can make without the inventory. Whether the target device
 * exists (E19), has a type the SRV applies to (E11), may be addressed by this User (E4) and in its status (E5),
 * and which path delivers to it, registration answers (registration-check.ts).
 */
export interface AdmittedRequest {
  request: ServiceRequest;
  id: RequestId;
  user: User;
  srv: SrvDefinition;
}

/** The hub's own EUI-64 (config HUB_ID): the target of non-device SRVs (command variant 8). */
export const DEFAULT_HUB_ID: Eui64 = parseEui64('90-B3-D5-1F-30-00-00-02', 'HUB_ID');

/** A non-device SRV admitted for routing to the service that answers it (ROUTED_NON_DEVICE_SRVS). */
export interface RoutedRequest {
  request: ServiceRequest;
  id: RequestId;
  user: User;
  srv: SrvDefinition;
  owner: 'registration';
}

export interface AdmitOptions {
  /** The User the transport proved (mutual TLS). */
  authenticatedAs?: Eui64;
  /** The hub's own id, the target of routed non-device SRVs; DEFAULT_HUB_ID when absent. */
  hubId?: Eui64;
}

/**
 * Device SRVs only: admit() of a routed non-device SRV is refused as UNIMPLEMENTED (request intake uses
 * admitSubmission, which routes them).
 */
export function admit(
  request: ServiceRequest | undefined,
  users: UserDirectory,
  authenticatedAs?: Eui64,
): AdmittedRequest {
  const admitted = admitSubmission(request, users, authenticatedAs ? { authenticatedAs } : {});
  if ('owner' in admitted) {
    throw new DccError(GrpcStatus.UNIMPLEMENTED, `SRV ${admitted.srv.srv} is not a device SRV`);
  }
  return admitted;
}

/**
 * Decides whether a Service Request may enter the hub: well formed, sent by an admitted User acting in a role
 * it holds, eligible for the SRV, with an allowed command variant. The target device is the inventory's to
 * judge (registration-check.ts). Every refusal is a DccError with the DUIS code (E1, E2, E3, E12, E17) or
 * INVALID_ARGUMENT / UNIMPLEMENTED / UNAUTHENTICATED.
 */
export function admitSubmission(
  request: ServiceRequest | undefined,
  users: UserDirectory,
  options: AdmitOptions = {},
): AdmittedRequest | RoutedRequest {
  const { authenticatedAs, hubId = DEFAULT_HUB_ID } = options;
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
  checkLocalDelivery(srv, role, request.commandVariant); // E17 (local-delivery.ts)

  if (srv.nonDevice) {
    // Non-device SRVs target the hub itself; those routed (ROUTED_NON_DEVICE_SRVS) go to the service that
    // answers them, the others are not available yet.
    const route = Object.hasOwn(ROUTED_NON_DEVICE_SRVS, srv.srv)
      ? ROUTED_NON_DEVICE_SRVS[srv.srv]
      : undefined;
    if (route && AVAILABLE_SRVS.has(srv.srv) && request.commandVariant === NON_DEVICE_VARIANT) {
      if (id.target !== hubId) {
        throw DccError.invalidArgument(
          `SRV ${srv.srv} is answered by the hub: the RequestID's target must be the hub's id (HUB_ID ${hubId}), not ${id.target}`,
        );
      }
      checkBody(srv.srv, request);
      return { request, id, user, srv, owner: route.owner };
    }
    throw new DccError(
      GrpcStatus.UNIMPLEMENTED,
      `SRV ${srv.srv} is answered by ${NON_DEVICE_OWNERS[srv.srv.split('.')[0]!] ?? 'the hub'}; routing it there is not yet available (see docs/srv-coverage.md)`,
    );
  }
  const variants = srv.critical ? AVAILABLE_CRITICAL_VARIANTS : AVAILABLE_VARIANTS;
  if (!AVAILABLE_SRVS.has(srv.srv) || !variants.has(request.commandVariant)) {
    throw new DccError(
      GrpcStatus.UNIMPLEMENTED,
      `SRV ${srv.srv} with command variant ${request.commandVariant} is not yet available (see docs/srv-coverage.md)`,
    );
  }
  // CV 5, 6 and 7 take their parameters from the signed pre-command (critical-commands.ts); a body is optional.
  const signed = [5, 6, 7].includes(request.commandVariant);
  if (!signed || request.body) checkBody(srv.srv, request);
  return { request, id, user, srv };
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
