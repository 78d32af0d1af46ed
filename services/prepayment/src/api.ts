import type { Eui64 } from '@dcc/domain';
import type { PrepaymentServiceServer } from '@dcc/proto';
import { toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { callingChannel } from './channel-access.js';
import type { TopUps } from './top-ups.js';

/** dcc.v1.PrepaymentService: every call from an admitted payment channel (channel-access.ts). */
export function prepaymentApi(topUps: TopUps, channels: ReadonlySet<Eui64>): PrepaymentServiceServer {
  const unary =
    <Req, Res>(handle: (channel: Eui64, request: Req) => Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      let channel: Eui64;
      try {
        channel = callingChannel(call, channels);
      } catch (error) {
        callback(toServiceError(error) as ServiceError);
        return;
      }
      handle(channel, call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(toServiceError(error) as ServiceError),
      );
    };
  return {
    topUp: unary(async (channel, request) => ({ topUp: await topUps.topUp(channel, request) })),
    getTopUp: unary(async (channel, request) => ({
      topUp: await topUps.get(channel, request.idempotencyKey),
    })),
  };
}
