import { DccError, GrpcStatus, parseRequestId, type Eui64 } from '@dcc/domain';
import {
  FutureDatedState,
  type CancelRequest,
  type CancelResponse,
  type FutureDatedServiceServer,
} from '@dcc/proto';
import { authenticatedUserId, inServerSpan, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { HeldStore } from './held-store.js';

/**
 * Cancels a held request for the User who sent it. Who calls is what the client certificate proves (mutual TLS
 * only: a plaintext caller proves no one); a User cancels only requests whose RequestID it originated. The record
 * moves HELD → CANCELLED by compare-and-set, so a cancellation that returns OK is one the releaser will honour.
 */
export async function cancelHeld(
  store: HeldStore,
  requestId: string,
  caller: Eui64 | undefined,
): Promise<CancelResponse> {
  if (!caller) {
    throw new DccError(GrpcStatus.UNAUTHENTICATED, 'cancelling a future-dated request needs mutual TLS');
  }
  const { originator } = parseRequestId(requestId);
  if (originator !== caller) {
    throw new DccError(
      GrpcStatus.PERMISSION_DENIED,
      `User ${caller} may not cancel the requests of ${originator}`,
    );
  }
  const key = HeldStore.key(requestId);
  for (;;) {
    const at = await store.get(key);
    if (!at) throw new DccError(GrpcStatus.NOT_FOUND, `no future-dated request ${requestId} is held`);
    const answer = { requestId, executionDateTimeMs: at.record.held!.request!.executionDateTimeMs ?? 0 };
    switch (at.record.state) {
      case FutureDatedState.FUTURE_DATED_STATE_CANCELLED:
        return answer; // cancelling twice is cancelling once
      case FutureDatedState.FUTURE_DATED_STATE_RELEASED:
        throw new DccError(GrpcStatus.FAILED_PRECONDITION, `${requestId} was already sent at its time`);
      default:
        try {
          await store.move(key, at, FutureDatedState.FUTURE_DATED_STATE_CANCELLED);
          return answer;
        } catch (error) {
          if (DccError.from(error).status !== GrpcStatus.ABORTED) throw error;
          // Released or cancelled meanwhile: read it again.
        }
    }
  }
}

/** gRPC `dcc.v1.FutureDatedService`. */
export function futureDatedApi(store: HeldStore): FutureDatedServiceServer {
  return {
    cancel: (
      call: ServerUnaryCall<CancelRequest | MalformedMessage, CancelResponse>,
      callback: sendUnaryData<CancelResponse>,
    ) => {
      inServerSpan('dcc.v1.FutureDatedService/Cancel', call.metadata, () => {
        if (call.request instanceof MalformedMessage) throw call.request.error();
        return cancelHeld(store, call.request.requestId, authenticatedUserId(call));
      }).then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
    },
  } as FutureDatedServiceServer;
}
