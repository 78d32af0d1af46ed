import { ServiceRequestsServiceClient, type ResponsesResponse, type ServiceResponse } from '@dcc/proto';
import { credentials, type ClientReadableStream } from '@grpc/grpc-js';

/** What the fault suite records of one response a User's client has in hand. */
export interface Received {
  requestId: string;
  responseId: string;
  responseCode: string;
  statusCode: number;
}

/**
 * A User's response reader: the one place the fault suite talks to the Responses API. `onResponse` returns once
 * the response is safely in the client's hands (the reader process has written it out); a Responses API on
 * which the client confirms what it has would confirm here, after `onResponse`. It reconnects after any end or
 * error until stopped, as a real client would.
 */
export function readResponses(
  address: string,
  userId: string,
  onResponse: (response: Received) => void,
): { stop(): void } {
  const client = new ServiceRequestsServiceClient(address, credentials.createInsecure());
  let stopped = false;
  let call: ClientReadableStream<ResponsesResponse> | undefined;
  const open = () => {
    if (stopped) return;
    call = client.responses({ userId }) as ClientReadableStream<ResponsesResponse>;
    call.on('data', (reply: ResponsesResponse) => onResponse(received(reply.response!)));
    let reopened = false;
    const again = () => {
      if (reopened) return;
      reopened = true;
      setTimeout(open, 250);
    };
    call.on('error', again);
    call.on('end', again);
  };
  open();
  return {
    stop() {
      stopped = true;
      call?.cancel();
      client.close();
    },
  };
}

function received(response: ServiceResponse): Received {
  return {
    requestId: response.requestId,
    responseId: response.responseId,
    responseCode: response.responseCode,
    statusCode: response.statusCode,
  };
}
