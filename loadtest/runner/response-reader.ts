import { ServiceRequestsServiceClient, type ResponsesResponse } from '@dcc/proto';
import type { ChannelCredentials, ServiceError } from '@grpc/grpc-js';

/** What the runner needs of each response: which request it answers, its outcome, when it arrived. */
export interface ReceivedResponse {
  requestId: string;
  responseCode: string;
  statusCode: number;
  detail: string;
  receivedAtMs: number;
  /** The DCC schedule a scheduled run's response belongs to; empty for an on-demand request. */
  dspScheduleId: string;
}

export interface ResponseReader {
  /** Resolves when the stream ends; with the error, if the server ended it with one. */
  ended: Promise<Error | undefined>;
  close(): void;
}

/**
 * The runner's only contact with the User's response stream (dcc.v1.ServiceRequestsService/Responses): how
 * responses are read and confirmed (`confirm_through`, once recorded) is confined to this module.
 */
export function readResponses(
  address: string,
  channel: ChannelCredentials,
  userId: string,
  onResponse: (response: ReceivedResponse) => void,
): ResponseReader {
  const client = new ServiceRequestsServiceClient(address, channel);
  const call = client.responses();
  call.write({ userId, window: 0, confirmThrough: 0 });
  let closing = false;
  const ended = new Promise<Error | undefined>((resolve) => {
    call.on('data', (reply: ResponsesResponse) => {
      const r = reply.response;
      if (!r) return;
      onResponse({
        requestId: r.requestId,
        responseCode: r.responseCode,
        statusCode: r.statusCode,
        detail: r.detail,
        receivedAtMs: Date.now(),
        dspScheduleId: r.dspScheduleId ?? '',
      });
      call.write({ userId: '', window: 0, confirmThrough: reply.delivery });
    });
    call.on('error', (error: ServiceError) => resolve(closing ? undefined : error));
    call.on('end', () => resolve(undefined));
  });
  return {
    ended,
    close() {
      closing = true;
      call.cancel();
      client.close();
    },
  };
}
