import { DccError, GrpcStatus, parseEui64, type Eui64 } from '@dcc/domain';
import { authenticatedUserId } from './grpc-credentials.js';
import { toServiceError } from './grpc-errors.js';
import { MalformedMessage } from './tolerant-definition.js';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { z } from 'zod';

/** The settings of an operators' API's access (spread into the config of a service that serves one). */
export const operatorAccessConfig = {
  /** Operator identities (client certificate CNs, EUI-64, comma-separated) allowed to call the operations API. */
  OPERATOR_IDS: z.string().default(''),
  /** Development only: the operations API answers on a plaintext server, where no caller is authenticated. */
  OPERATIONS_API_PLAINTEXT: z.enum(['true', 'false']).default('false'),
};

export interface OperatorAccess {
  /** Operator identities (client certificate CNs) allowed to call the operations API. */
  operatorIds: ReadonlySet<string>;
  /** Development only: allow the API on a plaintext server, where no caller is authenticated. */
  allowPlaintext: boolean;
}

/** The access rule from the settings; a malformed identity is refused at start, naming the setting. */
export function operatorAccessOf(config: {
  OPERATOR_IDS: string;
  OPERATIONS_API_PLAINTEXT: string;
}): OperatorAccess {
  const ids = config.OPERATOR_IDS.split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
    .map((id) => parseEui64(id, 'OPERATOR_IDS'));
  return { operatorIds: new Set(ids), allowPlaintext: config.OPERATIONS_API_PLAINTEXT === 'true' };
}

/** Refuses every caller that is not an authenticated operator (UNAUTHENTICATED / PERMISSION_DENIED). */
export function authoriseOperator(
  call: Parameters<typeof authenticatedUserId>[0],
  access: OperatorAccess,
): Eui64 | undefined {
  const caller = authenticatedUserId(call);
  if (caller === undefined) {
    if (access.allowPlaintext) return undefined;
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      'the operations API needs mutual TLS with an operator certificate',
    );
  }
  if (!access.operatorIds.has(caller))
    throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller} is not an operator`);
  return caller;
}

/**
 * An operations API's unary handler: refuses non-operators (authoriseOperator) and undecodable requests, then
 * answers with what `work` returns (or its refusal as a gRPC status); `work` gets the operator's identity
 * ('' in plaintext development mode).
 */
export function operatorUnary(access: OperatorAccess) {
  return <Req, Res>(work: (request: Req, operator: string) => Res | Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      Promise.resolve()
        .then(() => {
          const operator = authoriseOperator(call, access) ?? '';
          const request: unknown = call.request;
          if (request instanceof MalformedMessage) throw request.error();
          return work(call.request, operator);
        })
        .then(
          (reply) => callback(null, reply),
          (error: unknown) => callback(toServiceError(error)),
        );
    };
}
