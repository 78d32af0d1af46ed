import type { ServiceDefinition } from '@grpc/grpc-js';

/** Stands in for a request message that could not be decoded, so the handler can answer INVALID_ARGUMENT. */
export class MalformedMessage {
  constructor(readonly reason: string) {}
}

/**
 * The service definition with deserializers that never throw. grpc-js answers an undecodable request with
 * INTERNAL and, on a stream, ends the whole call; with this, the handler sees a MalformedMessage and can reject
 * that one message as INVALID_ARGUMENT and keep the stream open.
 */
export function tolerantDefinition<D extends ServiceDefinition>(definition: D): D {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(definition)) {
    wrapped[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return new MalformedMessage(`undecodable ${method.path} request: ${(error as Error).message}`);
        }
      },
    };
  }
  return wrapped as D;
}
