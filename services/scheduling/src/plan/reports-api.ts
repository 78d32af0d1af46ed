import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import type { SchedulingReportsServiceServer } from '@dcc/proto';
import { authenticatedUserId, MalformedMessage, toServiceError } from '@dcc/service-kit';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { Pacer } from './pacer.js';
import type { TrtCompliance } from './trt-compliance.js';

export interface ReportsAccess {
  /** Operator identities (client certificate CNs): every User's figures and the plan. */
  operatorIds: ReadonlySet<string>;
  /** Development only: a plaintext server, where no caller is authenticated, answers as to an operator. */
  allowPlaintext: boolean;
}

/** Who is calling: an operator, or a User (its certificate's CN). Unauthenticated callers are refused. */
type Caller = { operator: true } | { operator: false; userId: string };

function callerOf(call: Parameters<typeof authenticatedUserId>[0], access: ReportsAccess): Caller {
  const id = authenticatedUserId(call);
  if (id === undefined) {
    if (access.allowPlaintext) return { operator: true };
    throw new DccError(
      GrpcStatus.UNAUTHENTICATED,
      'the scheduling reports need mutual TLS with a client certificate',
    );
  }
  return access.operatorIds.has(id) ? { operator: true } : { operator: false, userId: id };
}

function unary<Req, Res>(access: ReportsAccess, work: (request: Req, caller: Caller) => Promise<Res>) {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    Promise.resolve()
      .then(() => {
        const caller = callerOf(call, access);
        const request: unknown = call.request;
        if (request instanceof MalformedMessage) throw request.error();
        return work(call.request, caller);
      })
      .then(
        (reply) => callback(null, reply),
        (error: unknown) => callback(toServiceError(error)),
      );
  };
}

/**
 * The scheduling service's reports: TRT compliance (operators: any User or all; a User: its own only, another
 * User's is PERMISSION_DENIED) and the collection plan's lanes (operators only).
 */
export function reportsApi(parts: {
  compliance: TrtCompliance;
  pacer: Pacer | undefined;
  access: ReportsAccess;
}): SchedulingReportsServiceServer {
  const { compliance, pacer, access } = parts;
  return {
    getTrtCompliance: unary(access, async (request, caller) => {
      const asked = request.userId ? parseEui64(request.userId, 'user_id') : undefined;
      if (!caller.operator && asked !== undefined && asked !== caller.userId)
        throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller.userId} may read only its own figures`);
      return compliance.report(caller.operator ? asked : caller.userId);
    }),
    getCollectionPlan: unary(access, (_request, caller) => {
      if (!caller.operator)
        throw new DccError(GrpcStatus.PERMISSION_DENIED, `${caller.userId} is not an operator`);
      const status = pacer?.status();
      return Promise.resolve({
        windowStartMs: status?.window?.startMs ?? 0,
        windowEndMs: status?.window?.endMs ?? 0,
        lanes: status?.lanes ?? [],
      });
    }),
  };
}
