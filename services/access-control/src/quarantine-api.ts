import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import type {
  DeleteRequest,
  DeleteResponse,
  ListQuarantinedRequest,
  ListQuarantinedResponse,
  QuarantineServiceServer,
  ReleaseRequest,
  ReleaseResponse,
} from '@dcc/proto';
import { authenticatedUserId, inServerSpan, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Quarantine } from './quarantine.js';
import type { UserDirectory } from './user-directory.js';

type Unary<Q, R> = (call: ServerUnaryCall<Q | MalformedMessage, R>, callback: sendUnaryData<R>) => void;

/**
 * gRPC `dcc.v1.QuarantineService`: a User lists, releases and deletes its quarantined requests. Authenticated
 * like ServiceRequestsService: with mutual TLS only its own (PERMISSION_DENIED otherwise).
 */
export class QuarantineApi {
  constructor(
    private readonly quarantine: Quarantine,
    private readonly users: UserDirectory,
  ) {}

  implementation(): QuarantineServiceServer {
    const listQuarantined: Unary<ListQuarantinedRequest, ListQuarantinedResponse> = (call, callback) =>
      this.unary('ListQuarantined', call, callback, (request, authenticated) => {
        const userId =
          request.userId === '' && authenticated ? authenticated : parseEui64(request.userId, 'user_id');
        if (authenticated && userId !== authenticated) {
          throw new DccError(
            GrpcStatus.PERMISSION_DENIED,
            `User ${authenticated} may not list the quarantine of ${userId}`,
          );
        }
        if (!this.users.find(userId)) throw DccError.duis('E1', `User ${userId} is not admitted`);
        return this.quarantine.list(userId);
      });
    const release: Unary<ReleaseRequest, ReleaseResponse> = (call, callback) =>
      this.unary('Release', call, callback, async (request, authenticated) => ({
        acknowledgement: await this.quarantine.release(request.requestId, authenticated),
      }));
    const remove: Unary<DeleteRequest, DeleteResponse> = (call, callback) =>
      this.unary('Delete', call, callback, async (request, authenticated) => {
        await this.quarantine.delete(request.requestId, authenticated);
        return {};
      });
    return { listQuarantined, release, delete: remove } as QuarantineServiceServer;
  }

  private unary<Q, R>(
    method: string,
    call: ServerUnaryCall<Q | MalformedMessage, R>,
    callback: sendUnaryData<R>,
    handle: (request: Q, authenticated: ReturnType<typeof authenticatedUserId>) => Promise<R>,
  ): void {
    inServerSpan(`dcc.v1.QuarantineService/${method}`, call.metadata, () => {
      if (call.request instanceof MalformedMessage) throw call.request.error();
      return handle(call.request, authenticatedUserId(call));
    }).then(
      (reply) => callback(null, reply),
      (error: unknown) => callback(toServiceError(error)),
    );
  }
}
