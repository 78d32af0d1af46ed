import { futureDatedSubjects, type DurablePublisher, type PubAck } from '@dcc/bus';
import { checkExecutionTime, type Eui64 } from '@dcc/domain';
import { HeldRequest, type ServiceRequest } from '@dcc/proto';
import type { Context } from '@opentelemetry/api';
import type { AdmittedRequest, RoutedRequest } from './admission.js';

/**
 * A DSP future-dated request's ExecutionDateTime, judged right after admission and body validation (before
 * registration is asked or anything is stored): undefined for an on-demand request; otherwise the SRV must be
 * DSP future-datable, the command variant 1, the time ahead and within the horizon (INVALID_ARGUMENT).
 */
export function futureDatedExecution(
  checked: AdmittedRequest | RoutedRequest,
  nowMs: number,
): number | undefined {
  const executionMs = checked.request.executionDateTimeMs;
  if (executionMs === undefined) return undefined;
  checkExecutionTime(checked.srv, checked.request.commandVariant, executionMs, nowMs);
  return executionMs;
}

/**
 * Hands a future-dated request that passed every submission check (signature, role, eligibility, body,
 * registration) to the scheduling service, durably: FUTURE_DATED `dcc.fd.held`, message id the RequestID. The
 * request is acknowledged I99 only once this resolves; from then on it is held.
 */
export function holdFutureDated(
  publisher: DurablePublisher,
  request: ServiceRequest,
  userId: Eui64,
  nowMs: number,
  trace: Context,
): Promise<PubAck> {
  return publisher.publish(
    futureDatedSubjects.held,
    HeldRequest,
    { request, userId, acceptedAtMs: nowMs, releasedAtMs: 0 },
    request.requestId,
    trace,
  );
}
