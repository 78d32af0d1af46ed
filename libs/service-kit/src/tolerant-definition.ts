import { DccError, GrpcStatus } from '@dcc/domain';
import type { ServiceDefinition } from '@grpc/grpc-js';

/** Stands in for a request message that could not be decoded, so the handler can refuse that one message. */
export class MalformedMessage {
  constructor(readonly reason: string) {}

  /** The refusal to answer with: INVALID_ARGUMENT. */
  error(): DccError {
    return DccError.invalidArgument(this.reason);
  }
}

/** Stands in for a request message over the per-message limit: refused as RESOURCE_EXHAUSTED, on its own. */
export class OversizedMessage extends MalformedMessage {
  override error(): DccError {
    return new DccError(GrpcStatus.RESOURCE_EXHAUSTED, this.reason);
  }
}

/**
 * The most one request message may be. The gRPC transport accepts bigger ones (MAX_TRANSPORT_MESSAGE_BYTES), so
 * that one oversized message on a stream is refused by itself instead of the transport ending the whole call.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const tolerant = new WeakSet<object>();

/**
 * The service definition with deserializers that never throw. grpc-js answers an undecodable request with
 * INTERNAL and, on a stream, ends the whole call; with this, the handler sees a MalformedMessage (or an
 * OversizedMessage beyond MAX_MESSAGE_BYTES) and can refuse that one message with `message.error()` and keep the
 * stream open.
 */
export function tolerantDefinition<D extends ServiceDefinition>(definition: D): D {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    wrapped[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        if (bytes.length > MAX_MESSAGE_BYTES) {
          return new OversizedMessage(
            `${method.path} request of ${bytes.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`,
          );
        }
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return new MalformedMessage(`undecodable ${method.path} request: ${(error as Error).message}`);
        }
      },
    };
  }
  tolerant.add(wrapped);
  return wrapped as D;
}

/**
 * The per-message limit for a definition that is not tolerant: its handlers cannot take a stand-in, so an
 * oversized request fails to deserialize (grpc-js ends that call as INTERNAL, naming the limit).
 */
export function withMessageLimit<D extends ServiceDefinition>(definition: D): D {
  if (tolerant.has(definition)) return definition;
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    wrapped[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        if (bytes.length > MAX_MESSAGE_BYTES) {
          throw new Error(`request of ${bytes.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`);
        }
        return method.requestDeserialize(bytes);
      },
    };
  }
  return wrapped as D;
}
