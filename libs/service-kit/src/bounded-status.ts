import { bounded, MAX_MESSAGE_CHARS } from '@dcc/domain';
import { ResponderBuilder, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';

/**
 * The most a status message may take once encoded for its trailer (grpc-js percent-encodes it). Peers limit the
 * size of headers (grpc-js clients to 8 KiB of metadata by default); a bigger trailer leaves the call hanging.
 */
const MAX_ENCODED_DETAILS = 4_096;

/** A status message bounded in characters and in encoded size, saying how long it was. */
export function boundedDetails(details: string): string {
  let max = MAX_MESSAGE_CHARS;
  let text = bounded(details, max);
  while (encodeURI(text).length > MAX_ENCODED_DETAILS) {
    max = Math.floor(max / 2);
    text = bounded(details, max);
  }
  return text;
}

/**
 * Bounds the status message of every call the server ends, whoever wrote it: the hub's handlers (DccError is
 * bounded already), grpc-js itself, and libraries such as the health service, which echoes the service name.
 */
export const boundedStatusInterceptor: ServerInterceptor = (_method, call) =>
  new ServerInterceptingCall(
    call,
    new ResponderBuilder()
      .withSendStatus((status, next) =>
        next(status.details ? { ...status, details: boundedDetails(status.details) } : status),
      )
      .build(),
  );
