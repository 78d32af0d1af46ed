import type { UserRoleCode } from '@dcc/domain';
import type { ServiceRequest } from '@dcc/proto';

/**
 * Change of supplier and change of tenancy data segregation. A read of logged data (the SRVs
 * whose body carries a `ReadLogPeriod`: 4.6.1, 4.8.1, 4.8.2, 4.8.3, 4.17 today) by a supplier (IS, ES, GS) may not
 * reach before the start of the requester's current holding of its appointment, nor before the tenancy in
 * effect at the point; an Other User's read may not reach before its consent (nor the tenancy). Both instants
 * come from registration's answer (`holding_start_ms`, `tenancy_start_ms`). Access control clamps the period's
 * start before the request is stored, so the meter answers only what the requester may see:
 *
 * - start before the limit, end after it → start = the limit (the meter returns the slots / midnights from the
 *   limit on);
 * - the whole period before the limit → an empty period, not a refusal: a valid one-millisecond period
 *   [G − 1 ms, G) with G the half-hour boundary at or before the requested end, in which no half hour starts
 *   and no midnight lies, so the meter answers an empty log (the device model refuses end ≤ start).
 *
 * The acknowledgement's `detail` says so ("log period from <ISO instant> (data segregation)") when a period
 * was clamped, empty otherwise: the limit is the requester's own appointment or the point's tenancy, nothing
 * it may not know.
 */
export const SEGREGATED_ROLES: ReadonlySet<UserRoleCode> = new Set<UserRoleCode>(['IS', 'ES', 'GS', 'OU']);

const HALF_HOUR_MS = 30 * 60 * 1000;

/** The earliest instant a log read by `role` may reach, from registration's answer; 0 = no limit. */
export function segregationStartMs(
  role: UserRoleCode | undefined,
  answer: { holdingStartMs: number; tenancyStartMs: number },
): number {
  if (role === undefined || !SEGREGATED_ROLES.has(role)) return 0;
  return Math.max(0, answer.holdingStartMs, answer.tenancyStartMs);
}

export interface ClampedRequest {
  request: ServiceRequest;
  /** Set when the period was changed: the start the read was limited to. */
  clampedFromMs?: number;
}

/** The request with its log period's start moved to `fromMs` when it reached before (see above). */
export function clampLogPeriod(request: ServiceRequest, fromMs: number): ClampedRequest {
  const body = request.body;
  if (!body || fromMs <= 0) return { request };
  const value = body.value as { period?: { startMs: number; endMs: number } };
  const period = value.period;
  if (!period || period.startMs >= fromMs) return { request };
  let next: { startMs: number; endMs: number };
  if (period.endMs > fromMs) {
    next = { startMs: fromMs, endMs: period.endMs };
  } else {
    const boundary = Math.max(HALF_HOUR_MS, Math.floor(period.endMs / HALF_HOUR_MS) * HALF_HOUR_MS);
    next = { startMs: boundary - 1, endMs: boundary };
  }
  return {
    request: { ...request, body: { ...body, value: { ...value, period: next } } as ServiceRequest['body'] },
    clampedFromMs: fromMs,
  };
}

export const clampDetail = (fromMs: number): string =>
  `log period from ${new Date(fromMs).toISOString()} (data segregation)`;
