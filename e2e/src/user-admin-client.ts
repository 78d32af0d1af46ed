import {
  UserAdminServiceClient,
  type AdmitUserRequest,
  type AdmitUserResponse,
  type ListUsersRequest,
  type ListUsersResponse,
  type ReinstateUserRequest,
  type ReinstateUserResponse,
  type SuspendUserRequest,
  type SuspendUserResponse,
} from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { credentials, type ServiceError } from '@grpc/grpc-js';

/** An operator's client of the access-control admin API (admit, suspend, reinstate, list), over mutual TLS. */
export function userAdminClient(
  address: string,
  tls: { ca: string; certificate: string; privateKey: string },
) {
  const client = new UserAdminServiceClient(
    address,
    credentials.createSsl(Buffer.from(tls.ca), Buffer.from(tls.privateKey), Buffer.from(tls.certificate)),
  );
  const call =
    <Req, Res>(method: (r: Req, cb: (e: ServiceError | null, res: Res) => void) => unknown) =>
    (request: Req) =>
      new Promise<Res>((resolve, reject) =>
        method.call(client, request, (error, response) =>
          error ? reject(fromServiceError(error)) : resolve(response),
        ),
      );
  return {
    admit: call<AdmitUserRequest, AdmitUserResponse>(client.admitUser),
    suspend: call<SuspendUserRequest, SuspendUserResponse>(client.suspendUser),
    reinstate: call<ReinstateUserRequest, ReinstateUserResponse>(client.reinstateUser),
    list: call<ListUsersRequest, ListUsersResponse>(client.listUsers),
    close: () => client.close(),
  };
}
