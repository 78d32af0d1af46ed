import { DccError } from '@dcc/domain';
import { DAY_MS } from './time.js';

/**
 * Money inside the model is integer millipence (1/1000 p): prices such as 24.567 p/kWh stay exact, and charges
 * are floors of cumulative integer functions, so a balance does not depend on how often it was settled.
 * Parameters and results are in pence.
 */
export const MP_PER_PENNY = 1_000;

/** Pence (at most three decimals) as millipence; INVALID_ARGUMENT names the field otherwise. */
export function penceToMp(pence: number, field: string): number {
  const mp = Math.round(pence * MP_PER_PENNY);
  if (!Number.isFinite(pence) || Math.abs(mp - pence * MP_PER_PENNY) > 1e-6 || !Number.isSafeInteger(mp)) {
    throw DccError.invalidArgument(`${field} must be an amount in pence with at most three decimals`);
  }
  return mp;
}

export function mpToPence(mp: number): number {
  return mp / MP_PER_PENNY;
}

/**
 * What a per-day rate has accrued from the epoch to `t`, floored to whole units. Cumulative, so the amount
 * accrued over (a, b] is accrual(b) - accrual(a) however the span is split. Split by whole days to stay exact
 * in doubles (rate × ms would exceed 2^53).
 */
export function perDayAccrual(ratePerDay: number, t: number): number {
  const days = Math.floor(t / DAY_MS);
  return ratePerDay * days + Math.floor((ratePerDay * (t - days * DAY_MS)) / DAY_MS);
}
