import { DccError, GrpcStatus, type GrpcStatusCode, type ResponseCode } from '@dcc/domain';
import { Metadata, type ServiceError } from '@grpc/grpc-js';

/** Trailer that carries the DUIS response code of a rejected call. */
export const RESPONSE_CODE_TRAILER = 'dcc-response-code';

/** A DccError (or anything thrown) as the error object grpc-js sends to the client. */
export function toServiceError(error: unknown): Partial<ServiceError> {
  const failure = DccError.from(error);
  const metadata = new Metadata();
  if (failure.responseCode) metadata.set(RESPONSE_CODE_TRAILER, failure.responseCode);
  return { code: failure.status, details: failure.message, metadata };
}

/** A client-side grpc-js error as a DccError (status, message and DUIS code preserved). */
export function fromServiceError(error: ServiceError): DccError {
  const code = error.metadata?.get(RESPONSE_CODE_TRAILER)[0];
  return new DccError(
    (error.code ?? GrpcStatus.UNKNOWN) as GrpcStatusCode,
    error.details ?? error.message,
    typeof code === 'string' ? (code as ResponseCode) : undefined,
  );
}
