import { HALF_HOUR_MS, SLOTS_PER_DAY, SLOTS_PER_WEEK, WEEK_MS, weekSlot } from './time.js';

/** A daily rate table: 48 characters '1'..'8', the rate (1-based) each half hour of the day counts to. */
export type RateTable = string;

/**
 * Half-hourly energy that repeats weekly (slot i of the week always holds the same Wh), which gives every
 * cumulative figure a closed form: whole weeks times a weekly total plus at most one week of slots. Nothing is
 * stored per slot; only weekly totals per rate table are cached.
 */
export class WeeklySeries {
  private readonly weekTotals = new Map<string, number[]>();

  constructor(private readonly slotWh: (weekSlotIndex: number) => number) {}

  /** Energy in the half hour starting at `startMs`, Wh. */
  halfHourWh(startMs: number): number {
    return this.slotWh(weekSlot(startMs));
  }

  /** Wh of every half hour that ended at or before `t` since the epoch, by rate (index 0 = rate 1). */
  cumulativeByRate(t: number, table: RateTable, rates: number): number[] {
    const weeks = Math.floor(t / WEEK_MS);
    const completed = Math.floor((t - weeks * WEEK_MS) / HALF_HOUR_MS);
    const totals = this.totalsFor(table, rates);
    // Whole weeks, plus the completed part of this one (or the weekly total minus the rest, if shorter).
    if (completed <= SLOTS_PER_WEEK / 2) {
      const out = totals.map((total) => total * weeks);
      for (let i = 0; i < completed; i++) out[rateIndex(table, i)]! += this.slotWh(i);
      return out;
    }
    const out = totals.map((total) => total * (weeks + 1));
    for (let i = completed; i < SLOTS_PER_WEEK; i++) out[rateIndex(table, i)]! -= this.slotWh(i);
    return out;
  }

  /** Wh of every half hour that ended at or before `t` since the epoch. */
  cumulative(t: number): number {
    return this.cumulativeByRate(t, SINGLE_RATE, 1)[0]!;
  }

  /** How many half hours that ended at or before `t` since the epoch held more than `thresholdWh`. */
  countAbove(t: number, thresholdWh: number): number {
    const weeks = Math.floor(t / WEEK_MS);
    const completed = Math.floor((t - weeks * WEEK_MS) / HALF_HOUR_MS);
    let weekly = 0;
    let partial = 0;
    for (let i = 0; i < SLOTS_PER_WEEK; i++) {
      if (this.slotWh(i) > thresholdWh) {
        weekly++;
        if (i < completed) partial++;
      }
    }
    return weeks * weekly + partial;
  }

  private totalsFor(table: RateTable, rates: number): number[] {
    const key = `${rates}:${table}`;
    let totals = this.weekTotals.get(key);
    if (!totals) {
      totals = new Array<number>(rates).fill(0);
      for (let i = 0; i < SLOTS_PER_WEEK; i++) totals[rateIndex(table, i)]! += this.slotWh(i);
      this.weekTotals.set(key, totals);
    }
    return totals;
  }
}

const SINGLE_RATE: RateTable = '1'.repeat(SLOTS_PER_DAY);

function rateIndex(table: RateTable, weekSlotIndex: number): number {
  return table.charCodeAt(weekSlotIndex % SLOTS_PER_DAY) - 49;
}
