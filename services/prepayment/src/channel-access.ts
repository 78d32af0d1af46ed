import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import { authenticatedUserId } from '@dcc/service-kit';
import type { ServerUnaryCall } from '@grpc/grpc-js';

/**
 * The calling payment channel, or a refusal: without a verified client certificate (a plaintext server, or
 * none presented) UNAUTHENTICATED; a certificate of anybody not configured as a channel PERMISSION_DENIED.
 * Nothing of the request is read before this passes. The channel's identity also scopes its idempotency keys.
 */
export function callingChannel(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext'>,
  channels: ReadonlySet<Eui64>,
): Eui64 {
  const caller = authenticatedUserId(call);
  if (caller === undefined) {
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      'the prepayment API needs mutual TLS with a payment channel certificate',
    );
  }
  if (!channels.has(caller))
    throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller} is not a payment channel`);
  return caller;
}
