import { HALF_HOUR_MS } from './consumption-model.js';

export { HALF_HOUR_MS };
export const SLOTS_PER_DAY = 48;
export const SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY;
export const DAY_MS = SLOTS_PER_DAY * HALF_HOUR_MS;
export const WEEK_MS = SLOTS_PER_WEEK * HALF_HOUR_MS;
/** GBCS convention: an execution date-time in the year 3000 cancels a pending future-dated command. */
export const CANCEL_FROM_MS = Date.UTC(3000, 0, 1);

export function floorTo(ms: number, unit: number): number {
  return Math.floor(ms / unit) * unit;
}

export function ceilTo(ms: number, unit: number): number {
  return Math.ceil(ms / unit) * unit;
}

/** Index of the half hour containing `ms` within its week (0..335); weeks start at the Unix epoch. */
export function weekSlot(ms: number): number {
  const inWeek = ((ms % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return Math.floor(inWeek / HALF_HOUR_MS);
}

/**
 * The smallest integer t in (lo, hi] for which `reached(t)` holds, given that `reached` is monotone (false then
 * true) and `reached(hi)` holds. Used to time threshold crossings of quantities that only move one way.
 */
export function firstReached(lo: number, hi: number, reached: (t: number) => boolean): number {
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = low + Math.floor((high - low) / 2);
    if (reached(mid)) high = mid;
    else low = mid;
  }
  return high;
}
