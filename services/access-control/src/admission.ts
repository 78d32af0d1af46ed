import {
  DccError,
  GrpcStatus,
  isRoleEligible,
  parseEui64,
  parseRequestId,
  requireSrv,
  routedOwnerOf,
  type CommandVariant,
  type Eui64,
  type NonDeviceOwner,
  type RequestId,
  type SrvDefinition,
} from '@dcc/domain';
import type { ServiceRequest } from '@dcc/proto';
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

/** A non-device SRV admitted for routing to the service that answers it (the SRV table's owner). */
export interface RoutedRequest {
  request: ServiceRequest;
  id: RequestId;
  user: User;
  srv: SrvDefinition;
  owner: NonDeviceOwner;
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
 * INVALID_ARGUMENT / UNAUTHENTICATED (INTERNAL for an SRV the table gives no owner: none does). The body is not looked at here: body-validation.ts checks
 * it next, before anything is stored.
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
    // Non-device SRVs target the hub itself and are routed to the service the SRV table names.
    const owner = routedOwnerOf(srv.srv);
    // Every catalogue SRV is in the table (srv-support.spec.ts checks it): none is left without an owner.
    if (!owner) throw DccError.internal(`SRV ${srv.srv} has no owner in the SRV table`);
    if (id.target !== hubId) {
      throw DccError.invalidArgument(
        `SRV ${srv.srv} is answered by the hub: the RequestID's target must be the hub's id (HUB_ID ${hubId}), not ${id.target}`,
      );
    }
    return { request, id, user, srv, owner };
  }
  return { request, id, user, srv };
}
