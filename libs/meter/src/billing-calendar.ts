import { PERIODICITY_MONTHS } from '@dcc/domain';
import type { BillingCalendarState } from './meter-state.js';
import { DAY_MS } from './time.js';

/**
 * When a billing calendar (6.8) closes billing periods: the instants the meter snapshots its registers into the
 * billing-calendar-triggered billing data log (4.4.3). An electricity calendar names a time of day and a day of
 * week, or a day of month and (quarterly and longer) the month its cycle counts from; a gas calendar names its
 * first billing date-time and repeats it. Month-based dates keep their day of month (1..28, libs/domain).
 */
interface ElectricityCalendar {
  billingTimeS: number;
  periodicity: number;
  dayOfWeek: number;
  dayOfMonth: number;
  billingPeriodStartMonth: number;
}
interface GasCalendar {
  billingPeriodStartMs: number;
  periodicity: number;
}

const DAILY = 1;
const WEEKLY = 2;
/** The Unix epoch was a Thursday: day of week (1 Monday .. 7 Sunday) of the epoch's day. */
const EPOCH_DAY_OF_WEEK = 4;

/** A repeating date: an anchor instant and a step of days or of months. */
interface Cycle {
  anchorMs: number;
  stepDays?: number;
  stepMonths?: number;
}

function cycleOf(state: BillingCalendarState): Cycle {
  if (state.fuel === 'gas') {
    const gas = state.calendar as unknown as GasCalendar;
    const months = PERIODICITY_MONTHS[gas.periodicity];
    if (months) return { anchorMs: gas.billingPeriodStartMs, stepMonths: months };
    return { anchorMs: gas.billingPeriodStartMs, stepDays: gas.periodicity === DAILY ? 1 : 7 };
  }
  const elec = state.calendar as unknown as ElectricityCalendar;
  const timeMs = elec.billingTimeS * 1000;
  if (elec.periodicity === DAILY) return { anchorMs: timeMs, stepDays: 1 };
  if (elec.periodicity === WEEKLY) {
    const offsetDays = (elec.dayOfWeek - EPOCH_DAY_OF_WEEK + 7) % 7;
    return { anchorMs: offsetDays * DAY_MS + timeMs, stepDays: 7 };
  }
  const months = PERIODICITY_MONTHS[elec.periodicity]!;
  const startMonth = months === 1 ? 1 : elec.billingPeriodStartMonth;
  return { anchorMs: Date.UTC(1970, startMonth - 1, elec.dayOfMonth) + timeMs, stepMonths: months };
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(
    d.getUTCFullYear(),
    d.getUTCMonth() + months,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** The calendar's billing instants in [fromMs, toMs), oldest first, at most `limit` (the latest ones). */
export function billingInstants(
  state: BillingCalendarState,
  fromMs: number,
  toMs: number,
  limit: number,
): number[] {
  const cycle = cycleOf(state);
  const instants: number[] = [];
  if (cycle.stepDays) {
    const step = cycle.stepDays * DAY_MS;
    const first = cycle.anchorMs + Math.max(0, Math.ceil((fromMs - cycle.anchorMs) / step)) * step;
    const skip = Math.max(0, Math.ceil((toMs - first) / step) - limit);
    for (let t = first + skip * step; t < toMs; t += step) instants.push(t);
    return instants.filter((t) => t >= fromMs);
  }
  const stepMonths = cycle.stepMonths!;
  const anchor = new Date(cycle.anchorMs);
  const from = new Date(Math.max(fromMs, cycle.anchorMs));
  // Whole cycles from the anchor to the first one at or after `from`.
  const monthsBetween =
    (from.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + from.getUTCMonth() - anchor.getUTCMonth();
  let k = Math.max(0, Math.floor(monthsBetween / stepMonths) - 1);
  for (
    let t = addMonths(cycle.anchorMs, k * stepMonths);
    t < toMs;
    t = addMonths(cycle.anchorMs, ++k * stepMonths)
  ) {
    if (t >= fromMs) instants.push(t);
  }
  return instants.slice(-limit);
}
