import { DccError } from '../dcc-error.js';
import { SCHEDULED_TRT_MS } from '../schedule/schedule-calendar.js';
import type { SrvDefinition } from '../srv/srv-definition.js';

/**
 * How far ahead a DSP future-dated request may be dated. DUIS's own limit was not found (DCC-REFERENCE has
 * none): this is the hub's choice, long enough for a month's planning and short enough that a held request
 * does not outlive the User's appointment by much.
 */
export const FUTURE_DATED_MAX_AHEAD_MS = 31 * 86_400_000;

/**
 * A held request sent later than its ExecutionDateTime plus this is not sent at all but answered E30: its Target
 * Response Time (DCC-REFERENCE §1.6, measured from the execution time), which it can no longer meet.
 */
export const FUTURE_DATED_TRT_MS = SCHEDULED_TRT_MS;

/** Whether the DCC may hold requests of this SRV and send them at their ExecutionDateTime (FD pattern DSP). */
export function isDspFutureDatable(srv: SrvDefinition): boolean {
  return srv.futureDated === 'DSP' || srv.futureDated === 'DSP+Device';
}

/**
 * A request's ExecutionDateTime at submission: only for a DSP-future-datable SRV, command variant 1 (a held
 * request is sent over the WAN by the hub, never returned for local delivery), after now and at most
 * FUTURE_DATED_MAX_AHEAD_MS ahead. DUIS codes for these refusals were not found (DCC-REFERENCE §1.5): each is
 * INVALID_ARGUMENT naming the rule (docs/response-codes.md).
 */
export function checkExecutionTime(
  srv: SrvDefinition,
  commandVariant: number,
  executionMs: number,
  nowMs: number,
): void {
  if (!isDspFutureDatable(srv)) {
    throw DccError.invalidArgument(
      `SRV ${srv.srv} is not DSP future-datable: execution_date_time_ms must be absent`,
    );
  }
  if (commandVariant !== 1) {
    throw DccError.invalidArgument(
      `a future-dated request is sent by the hub: command variant 1 only, not ${commandVariant}`,
    );
  }
  if (executionMs <= nowMs) {
    throw DccError.invalidArgument(
      `execution_date_time_ms ${new Date(executionMs).toISOString()} is not in the future`,
    );
  }
  if (executionMs > nowMs + FUTURE_DATED_MAX_AHEAD_MS) {
    throw DccError.invalidArgument(
      `execution_date_time_ms ${new Date(executionMs).toISOString()} is more than ` +
        `${FUTURE_DATED_MAX_AHEAD_MS / 86_400_000} days ahead`,
    );
  }
}

/** Whether a held request released at `releasedMs` has missed its Target Response Time (answered E30). */
export function missedTrt(executionMs: number, releasedMs: number): boolean {
  return releasedMs > executionMs + FUTURE_DATED_TRT_MS;
}
