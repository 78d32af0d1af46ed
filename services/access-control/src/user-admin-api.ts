import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import {
  UserStatus as WireStatus,
  wireUserRoleOf,
  type AdmittedUser,
  type UserAdminServiceServer,
} from '@dcc/proto';
import { authenticatedUserId, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { parseSigningKeys, parseTopUpKey, type User, type UserDirectory } from './user-directory.js';
import { roleCodeOf } from './user-role-mapping.js';
import type { UserStore } from './user-store.js';

export interface AdminAccess {
  /** Operator identities (client certificate CNs) allowed to call the admin API. */
  adminIds: ReadonlySet<string>;
  /** Development only: allow the admin API on a plaintext server, where no caller is authenticated. */
  allowPlaintext: boolean;
}

function toWire(user: User): AdmittedUser {
  return {
    userId: user.id,
    roles: user.roles.map(wireUserRoleOf),
    status: user.status === 'suspended' ? WireStatus.USER_STATUS_SUSPENDED : WireStatus.USER_STATUS_ADMITTED,
    signingKeys: (user.signingKeys ?? []).map((k) => ({ keyId: k.keyId, publicKeyPem: k.publicKeyPem })),
    statusReason: user.statusReason ?? '',
    topUpKey: user.topUpKey ?? '',
  };
}

function fromWire(wire: AdmittedUser | undefined): User {
  if (!wire) throw DccError.invalidArgument('user is missing');
  const id = parseEui64(wire.userId, 'user_id');
  if (wire.roles.length === 0) throw DccError.invalidArgument('a User holds at least one role');
  const roles = [...new Set(wire.roles.map(roleCodeOf))];
  const keys = parseSigningKeys(wire.signingKeys, 'signing_keys');
  return {
    id,
    roles,
    ...(keys.length > 0 ? { signingKeys: keys } : {}),
    ...(wire.topUpKey !== '' ? { topUpKey: parseTopUpKey(wire.topUpKey, 'top_up_key') } : {}),
  };
}

/** The operators' API over the User directory: admit, suspend, reinstate, list. */
export function userAdminApi(
  store: UserStore,
  directory: UserDirectory,
  access: AdminAccess,
): UserAdminServiceServer {
  const authorise = (call: ServerUnaryCall<unknown, unknown>): Eui64 | undefined => {
    const caller = authenticatedUserId(call);
    if (caller === undefined) {
      if (access.allowPlaintext) return undefined;
      throw new DccError(
        GrpcStatus.UNAUTHENTICATED,
        'the admin API needs mutual TLS with an operator certificate',
      );
    }
    if (!access.adminIds.has(caller))
      throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller} is not an operator`);
    return caller;
  };
  const unary =
    <Req, Res>(work: (request: Req) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      Promise.resolve()
        .then(() => {
          authorise(call as ServerUnaryCall<unknown, unknown>);
          const request: unknown = call.request;
          if (request instanceof MalformedMessage) throw request.error();
          return work(call.request);
        })
        .then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error)),
        );
    };
  return {
    admitUser: unary(async (r) => ({ user: toWire(await store.admit(fromWire(r.user))) })),
    suspendUser: unary(async (r) => ({
      user: toWire(
        await store.setStatus(parseEui64(r.userId, 'user_id'), 'suspended', r.reason.slice(0, 256)),
      ),
    })),
    reinstateUser: unary(async (r) => ({
      user: toWire(await store.setStatus(parseEui64(r.userId, 'user_id'), 'admitted')),
    })),
    listUsers: unary(() => ({ users: directory.list().map(toWire) })),
  };
}
