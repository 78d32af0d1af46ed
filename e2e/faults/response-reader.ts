import {
  ServiceRequestsServiceClient,
  type ResponsesRequest,
  type ResponsesResponse,
  type ServiceResponse,
} from '@dcc/proto';
import { credentials, type ClientDuplexStream } from '@grpc/grpc-js';

/** What the fault suite records of one response a User's client has in hand. */
export interface Received {
  requestId: string;
  responseId: string;
  responseCode: string;
  statusCode: number;
}

/**
 * A User's response reader: the one place the fault suite talks to the Responses API. `onResponse` returns once
 * the response is safely in the client's hands (the reader process has written it out), and only then is it
 * confirmed to the hub (`confirm_through`), so a client killed in between gets it again. It reconnects after any
 * end or error until stopped, as a real client would (to the next of `addresses`).
 */
export function readResponses(
  addresses: string | readonly string[],
  userId: string,
  onResponse: (response: Received) => void,
): { stop(): void } {
  // Several access-control instances: each reconnect goes to the next one, as a client balancing over them.
  const clients = (typeof addresses === 'string' ? [addresses] : addresses).map(
    (address) => new ServiceRequestsServiceClient(address, credentials.createInsecure()),
  );
  let opened = 0;
  let stopped = false;
  let call: ClientDuplexStream<ResponsesRequest, ResponsesResponse> | undefined;
  const open = () => {
    if (stopped) return;
    const current = clients[opened++ % clients.length]!.responses();
    call = current;
    current.write({ userId, window: 0, confirmThrough: 0 });
    current.on('data', (reply: ResponsesResponse) => {
      onResponse(received(reply.response!));
      current.write({ userId: '', window: 0, confirmThrough: reply.delivery });
    });
    let reopened = false;
    const again = () => {
      if (reopened) return;
      reopened = true;
      setTimeout(open, 250);
    };
    current.on('error', again);
    current.on('end', again);
  };
  open();
  return {
    stop() {
      stopped = true;
      call?.cancel();
      for (const client of clients) client.close();
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
