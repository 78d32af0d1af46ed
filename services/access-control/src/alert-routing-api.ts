import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import type {
  AlertRoutingServiceServer,
  GetDispatchTableRequest,
  GetDispatchTableResponse,
} from '@dcc/proto';
import { authenticatedUserId, inServerSpan, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { dispatchTableToWire } from './alert-dispatch-wire.js';
import type { UserDirectory } from './user-directory.js';

/**
 * gRPC `dcc.v1.AlertRoutingService`: any admitted User reads the alert dispatching table. Authenticated like
 * ServiceRequestsService: with mutual TLS the certificate's User (a user_id naming another is PERMISSION_DENIED),
 * without TLS the user_id given; a User not admitted is refused E1.
 */
export function alertRoutingApi(users: UserDirectory): AlertRoutingServiceServer {
  const table = dispatchTableToWire();
  return {
    getDispatchTable(
      call: ServerUnaryCall<GetDispatchTableRequest | MalformedMessage, GetDispatchTableResponse>,
      callback: sendUnaryData<GetDispatchTableResponse>,
    ) {
      inServerSpan('dcc.v1.AlertRoutingService/GetDispatchTable', call.metadata, () => {
        if (call.request instanceof MalformedMessage) throw call.request.error();
        const authenticated = authenticatedUserId(call);
        const named = call.request.userId;
        const userId = named === '' && authenticated ? authenticated : parseEui64(named, 'user_id');
        if (authenticated && userId !== authenticated) {
          throw new DccError(GrpcStatus.PERMISSION_DENIED, `User ${authenticated} may not act as ${userId}`);
        }
        if (!users.find(userId)) throw DccError.duis('E1', `User ${userId} is not admitted`);
        return Promise.resolve(table);
      }).then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
    },
  } as AlertRoutingServiceServer;
}
