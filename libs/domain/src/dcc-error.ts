import { bounded, MAX_MESSAGE_CHARS } from './bounded-text.js';
import { GrpcStatus, type GrpcStatusCode } from './grpc-status.js';
import { statusForResponseCode, type ResponseCode } from './response-code.js';

/**
 * The one error type of the hub. It carries a gRPC status and, when the failure has a DUIS meaning, the DUIS
 * response code a User sees (E2, E19, ...). Every layer throws this; transports map it once at their edge.
 * The message is bounded (bounded-text.ts): it may echo a caller's value of any size, and it ends up in a gRPC
 * trailer or a NATS header.
 */
export class DccError extends Error {
  readonly status: GrpcStatusCode;
  readonly responseCode: ResponseCode | undefined;

  constructor(status: GrpcStatusCode, message: string, responseCode?: ResponseCode) {
    super(bounded(message, MAX_MESSAGE_CHARS));
    this.name = 'DccError';
    this.status = status;
    this.responseCode = responseCode;
  }

  /** A rejection with a DUIS response code; the gRPC status follows from the code. */
  static duis(code: ResponseCode, message: string): DccError {
    return new DccError(statusForResponseCode(code), `${code}: ${message}`, code);
  }

  static invalidArgument(message: string): DccError {
    return new DccError(GrpcStatus.INVALID_ARGUMENT, message);
  }

  /** The request is well formed but the record does not allow it now (a state it is not in). */
  static failedPrecondition(message: string): DccError {
    return new DccError(GrpcStatus.FAILED_PRECONDITION, message);
  }

  static unavailable(message: string): DccError {
    return new DccError(GrpcStatus.UNAVAILABLE, message);
  }

  static internal(message: string): DccError {
    return new DccError(GrpcStatus.INTERNAL, message);
  }

  /** Any thrown value as a DccError, so callers never deal with strings or foreign errors. */
  static from(error: unknown): DccError {
    if (error instanceof DccError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new DccError(GrpcStatus.INTERNAL, message);
  }
}
