import { BODY_LIMITS } from '@dcc/domain';
import type { MeterState } from './meter-state.js';
import { DAY_MS } from './time.js';

/**
 * How far back the device's logs reach. Model choices: about 13 months of half-hour profile, two years of daily
 * reads and daily consumption. (The SMETS2 capacities are not in the reference.)
 */
export const PROFILE_RETENTION_MS = 396 * DAY_MS;
// The hub refuses a longer daily read log period before storing it (libs/domain BODY_LIMITS).
export const DAILY_LOG_RETENTION_MS = BODY_LIMITS.dailyReadLogDays * DAY_MS;

/**
 * 3.2 Restrict Access For Change Of Tenancy: the device records the restriction date-time (past or future) on
 * receipt and from then on hides data from before it in its logs (profile, daily read log, daily consumption
 * log, billing and prepayment logs). A later 3.2 replaces the date: the device holds one.
 */
export function restrictAccess(state: MeterState, restrictionMs: number): void {
  state.tenancyRestrictionMs = restrictionMs;
}

/**
 * The earliest instant a log read may return data from: the tenancy restriction, the retention limit, and the
 * horizon of what the model can still reconstruct (see metering.ts), whichever is latest.
 */
export function visibleFromMs(state: MeterState, now: number, retentionMs: number): number {
  return Math.max(
    state.tenancyRestrictionMs ?? Number.NEGATIVE_INFINITY,
    state.logHorizonMs,
    now - retentionMs,
  );
}
