import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import { TopUpApprovalRequest, TopUpApprovalResponse } from '@dcc/proto';

/**
 * Asks the supplier itself to approve a top-up, over NATS request/reply on
 * `dcc.prepayment.approval.<supplier>`, where the supplier's own system answers (its checks: the customer is
 * its customer at that meter point, the meter is in prepayment mode; the hub cannot know either). Resolves
 * with the supplier's verdict; a supplier that does not answer within `timeoutMs` (or is not listening) is
 * UNAVAILABLE, and the caller decides how long to keep asking. A supplier answering with an error refuses.
 */
export async function askSupplier(
  requester: Requester,
  supplierId: string,
  request: TopUpApprovalRequest,
  timeoutMs: number,
): Promise<TopUpApprovalResponse> {
  try {
    return await requestTyped(
      requester,
      subjects.prepaymentApproval(parseEui64(supplierId)),
      { codec: TopUpApprovalRequest, message: request },
      TopUpApprovalResponse,
      timeoutMs,
    );
  } catch (error) {
    const e = DccError.from(error);
    if (e.status === GrpcStatus.UNAVAILABLE || e.status === GrpcStatus.DEADLINE_EXCEEDED) {
      throw new DccError(
        GrpcStatus.UNAVAILABLE,
        `supplier ${supplierId} did not answer the approval within ${timeoutMs} ms`,
      );
    }
    return { approved: false, reason: `supplier ${supplierId} answered an error: ${e.message}` };
  }
}
