import type { MeterState, PrepayLogs } from './meter-state.js';
import { DAY_MS } from './time.js';

/**
 * How many entries each prepayment log keeps (the oldest go first). GBCS gives the ESME's logs fixed capacities
 * that DCC-REFERENCE does not quote; 31 is the model's (inferred), and what 4.14, 4.4.4 and 4.4.5 can return.
 */
export const PREPAY_LOG_ENTRIES = 31;

/** One midnight of the prepayment daily read log (4.14), labelled on the true UTC grid as 4.6.1 is; millipence. */
export interface DailyPrepayEntry {
  atMs: number;
  balanceMp: number;
  ecRemainingMp: number;
  time1Mp: number;
  time2Mp: number;
  paymentMp: number;
}

function logsOf(state: MeterState): PrepayLogs {
  state.prepay.logs ??= { daily: [], credits: [], debtPayments: [] };
  return state.prepay.logs;
}

function append(log: number[][], entry: number[]): void {
  log.push(entry);
  if (log.length > PREPAY_LOG_ENTRIES) log.splice(0, log.length - PREPAY_LOG_ENTRIES);
}

/** 4.4.5: a credit a top-up applied (before any payment-based debt took its share). */
export function logCredit(state: MeterState, atMeterMs: number, creditMp: number): void {
  append(logsOf(state).credits, [atMeterMs, creditMp]);
}

/** 4.4.4: payment-based debt recovered from a top-up, and what the register holds after it. */
export function logDebtPayment(
  state: MeterState,
  atMeterMs: number,
  recoveredMp: number,
  afterMp: number,
): void {
  append(logsOf(state).debtPayments, [atMeterMs, recoveredMp, afterMp]);
}

/**
 * 4.14: records the midnights in (from, to] (true time) with the values `at` gives for each; only the last
 * PREPAY_LOG_ENTRIES can be kept, so earlier midnights are not computed.
 */
export function logMidnights(
  state: MeterState,
  from: number,
  to: number,
  at: (midnightMs: number) => Omit<DailyPrepayEntry, 'atMs'>,
): void {
  const first = Math.max(Math.floor(from / DAY_MS) + 1, Math.floor(to / DAY_MS) - PREPAY_LOG_ENTRIES + 1);
  for (let day = first; day * DAY_MS <= to; day++) {
    const t = day * DAY_MS;
    const v = at(t);
    append(logsOf(state).daily, [t, v.balanceMp, v.ecRemainingMp, v.time1Mp, v.time2Mp, v.paymentMp]);
  }
}

/** Entries of a log whose time (first element) is in [startMs, endMs), oldest first. */
export function entriesIn(log: readonly number[][] | undefined, startMs: number, endMs: number): number[][] {
  return (log ?? []).filter(([t]) => t! >= startMs && t! < endMs);
}
