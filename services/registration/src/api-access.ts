import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import type { RegistrationBulkServiceServer, RegistrationServiceServer } from '@dcc/proto';
import { authenticatedUserId, toServiceError } from '@dcc/service-kit';
import type { ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { countedHandler } from './request-metrics.js';

/** Who may call dcc.v1.RegistrationService, by the subject CN of their verified client certificate. */
export interface RegistrationApiAccess {
  /** Hub operators: every RPC. */
  operators: ReadonlySet<Eui64>;
  /** Registration data providers (the electricity and gas RDPs): the registration data they provide. */
  providers: ReadonlySet<Eui64>;
}

/** The service's RPC names (the generated interface also has a string index signature, left out here). */
type Rpc = keyof {
  [K in keyof RegistrationServiceServer as string extends K ? never : K]: unknown;
};
type Caller = 'operator' | 'provider';

/**
 * Which callers each RPC answers. Operators may call everything. A registration data provider sends what
 * registration data is made of (feeds, supplier switches and objections, tenancies) and may read it back; the
 * Smart Metering Inventory (device status and details, pre-notification) and Other User consents are the hub
 * operator's, because Users change the inventory through their own SRVs (8.3, 8.4, 12.2) at access control.
 * Users never call this API: it is the registration record the hub's authorisation rests on.
 */
export const RPC_CALLERS: Readonly<Record<Rpc, readonly Caller[]>> = {
  loadFeed: ['operator', 'provider'],
  getHolder: ['operator', 'provider'],
  getHistory: ['operator', 'provider'],
  requestSwitch: ['operator', 'provider'],
  objectSwitch: ['operator', 'provider'],
  resolveObjection: ['operator', 'provider'],
  getSwitch: ['operator', 'provider'],
  recordTenancy: ['operator', 'provider'],
  readInventory: ['operator'],
  decommissionDevice: ['operator'],
  updateInventory: ['operator'],
  devicePrenotification: ['operator'],
  grantConsent: ['operator'],
  revokeConsent: ['operator'],
  listConsents: ['operator'],
};

// The settings' identity lists are read the same way by every service (service-kit).
export { identityList } from '@dcc/service-kit';

/**
 * Refuses a call whose caller may not use `rpc`: no client certificate (a plaintext server, or none presented)
 * is UNAUTHENTICATED; a certificate that is neither an operator's nor, where allowed, a provider's is
 * PERMISSION_DENIED. Nothing is read from the request before this passes.
 */
export function checkCaller(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>,
  rpc: Rpc,
  access: RegistrationApiAccess,
): Eui64 {
  const caller = authenticatedUserId(call);
  if (caller === undefined) {
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      'the registration API needs mutual TLS with an operator or registration data provider certificate',
    );
  }
  const allowed = RPC_CALLERS[rpc];
  if (access.operators.has(caller) && allowed.includes('operator')) return caller;
  if (access.providers.has(caller) && allowed.includes('provider')) return caller;
  const who = access.providers.has(caller) ? 'a registration data provider' : 'not an operator';
  throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller} is ${who}: it may not call ${rpc}`);
}

type AnyHandler = (
  call: Parameters<typeof checkCaller>[0] & { emit?: (event: 'error', e: Error) => boolean },
  cb?: unknown,
) => void;

/**
 * The API with every RPC behind checkCaller: a refused unary call is answered with the error; a refused stream
 * (LoadFeed) is ended with it before a single line is read.
 */
export function guardedApi(
  api: RegistrationServiceServer,
  access: RegistrationApiAccess,
): RegistrationServiceServer {
  const guarded: Record<string, AnyHandler> = {};
  for (const rpc of Object.keys(RPC_CALLERS) as Rpc[]) {
    guarded[rpc] = countedHandler(rpc, guardedHandler(rpc, api[rpc] as unknown as AnyHandler, access));
  }
  return guarded as unknown as RegistrationServiceServer;
}

/** `handler` behind checkCaller for `rpc`'s callers. */
function guardedHandler(rpc: Rpc, handler: AnyHandler, access: RegistrationApiAccess): AnyHandler {
  return (call, callback) => {
    try {
      checkCaller(call, rpc, access);
    } catch (error) {
      const refusal = toServiceError(error);
      if (typeof callback === 'function') (callback as (e: Partial<ServiceError>) => void)(refusal);
      // grpc-js answers a server stream's 'error' with its status (destroy() would drop it unsent).
      else call.emit?.('error', refusal as Error);
      return;
    }
    handler(call, callback);
  };
}

/** The bulk feed API: answers exactly the callers LoadFeed answers, refusing the others the same way. */
export function guardedBulkApi(
  api: RegistrationBulkServiceServer,
  access: RegistrationApiAccess,
): RegistrationBulkServiceServer {
  const loadFeedChunks = countedHandler(
    'loadFeedChunks',
    guardedHandler('loadFeed', api.loadFeedChunks as unknown as AnyHandler, access),
  );
  return { loadFeedChunks } as unknown as RegistrationBulkServiceServer;
}
