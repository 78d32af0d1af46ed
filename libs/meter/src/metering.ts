import type { MeterState } from './meter-state.js';
import { rateCount, tariffOf } from './tariff.js';
import { HALF_HOUR_MS } from './time.js';
import type { WeeklySeries } from './weekly-series.js';

/** Off intervals kept for the logs; older ones fold into totals and move the log horizon. */
export const MAX_OFF_INTERVALS = 8;

/**
 * Energy actually delivered: the deterministic series minus the half hours in which the premises were not
 * supplied (supply disabled or armed, power outage). A half hour counts as unsupplied when it ends inside an
 * off interval (start, end], the same rule registers use (a register counts half hours that have ended), so
 * profile sums always equal register advances.
 */
export class Metering {
  constructor(
    private readonly imports: WeeklySeries,
    private readonly importInitialWh: number,
    private readonly exports: WeeklySeries | undefined,
    private readonly exportInitialWh: number,
    /** The default tariff's registers straight from the consumption model: the common case, and its fastest. */
    private readonly defaultTouWh?: (t: number) => number[],
  ) {}

  get hasExport(): boolean {
    return this.exports !== undefined;
  }

  /** Total active import register at `t` (t at or after the log horizon), Wh. */
  importTotalWh(state: MeterState, t: number): number {
    return (
      this.importInitialWh +
      this.imports.cumulative(t) -
      state.droppedOffImportWh -
      offWh(state, this.imports, t)
    );
  }

  /** Total active export register at `t`, Wh; zero for a meter without export. */
  exportTotalWh(state: MeterState, t: number): number {
    if (!this.exports) return 0;
    return (
      this.exportInitialWh +
      this.exports.cumulative(t) -
      state.droppedOffExportWh -
      offWh(state, this.exports, t)
    );
  }

  /**
   * TOU import registers at `t` (t at or after touBaseMs), Wh: one per rate of the tariff in force, plus any
   * register an earlier tariff used beyond those.
   */
  touRegistersWh(state: MeterState, t: number): number[] {
    if (
      this.defaultTouWh &&
      state.tariff === null &&
      state.touBaseMs === 0 &&
      state.offIntervals.length === 0
    ) {
      return this.defaultTouWh(t);
    }
    const tariff = tariffOf(state);
    const rates = rateCount(tariff);
    const at = this.imports.cumulativeByRate(t, tariff.table, rates);
    const base = this.imports.cumulativeByRate(state.touBaseMs, tariff.table, rates);
    // Registers of rates a newer tariff no longer names keep their value (GBCS registers are not cleared).
    const registers = Array.from(
      { length: Math.max(rates, state.touBaseWh.length) },
      (_, i) => (state.touBaseWh[i] ?? 0) + (i < rates ? at[i]! - base[i]! : 0),
    );
    for (const [start, end] of state.offIntervals) {
      const from = Math.max(start, state.touBaseMs);
      const to = Math.min(end ?? t, t);
      if (from >= to) continue;
      const a = this.imports.cumulativeByRate(from, tariff.table, rates);
      const b = this.imports.cumulativeByRate(to, tariff.table, rates);
      for (let i = 0; i < rates; i++) registers[i]! -= b[i]! - a[i]!;
    }
    return registers;
  }

  /**
   * Total and TOU import registers at `t` in one pass: for t at or after touBaseMs the total is the initial
   * reading plus the TOU registers (every delivered half hour since the epoch is in exactly one of them).
   */
  importRegistersWh(state: MeterState, t: number): { totalWh: number; touWh: number[] } {
    const touWh = this.touRegistersWh(state, t);
    if (t < state.touBaseMs) return { totalWh: this.importTotalWh(state, t), touWh };
    return { totalWh: this.importInitialWh + touWh.reduce((a, b) => a + b, 0), touWh };
  }

  /** Delivered import of `count` half hours from `firstSlotMs` (a half-hour boundary), Wh. */
  importProfile(state: MeterState, firstSlotMs: number, count: number): number[] {
    return profile(state, this.imports, firstSlotMs, count);
  }

  /** Delivered export of `count` half hours from `firstSlotMs`, Wh; zeros for a meter without export. */
  exportProfile(state: MeterState, firstSlotMs: number, count: number): number[] {
    if (!this.exports) return new Array<number>(count).fill(0);
    return profile(state, this.exports, firstSlotMs, count);
  }

  /** Whether the premises are supplied now, by the state's rules. */
  energised(state: MeterState): boolean {
    return state.supply === 'enabled' && state.outageSinceMs === null;
  }

  /**
   * Records the change of supply at `t` after the state's supply or outage fields changed: opens or closes an
   * off interval. Keeps at most MAX_OFF_INTERVALS; the oldest one then folds into the totals, the TOU snapshot
   * moves to `t`, and the log horizon to the dropped interval's end.
   */
  recordSupply(state: MeterState, t: number): void {
    const open = state.offIntervals.at(-1)?.[1] === null;
    const energised = this.energised(state);
    if (energised && open) {
      const last = state.offIntervals.at(-1)!;
      if (last[0] === t) state.offIntervals.pop();
      else last[1] = t;
    } else if (!energised && !open) {
      if (state.offIntervals.length >= MAX_OFF_INTERVALS) this.dropOldest(state, t);
      state.offIntervals.push([t, null]);
    }
  }

  private dropOldest(state: MeterState, t: number): void {
    const registers = this.touRegistersWh(state, t);
    const [start, end] = state.offIntervals.shift()!;
    const stop = end ?? t;
    state.droppedOffImportWh += this.imports.cumulative(stop) - this.imports.cumulative(start);
    if (this.exports)
      state.droppedOffExportWh += this.exports.cumulative(stop) - this.exports.cumulative(start);
    state.logHorizonMs = stop;
    state.touBaseWh = registers;
    state.touBaseMs = t;
  }
}

/** Wh of `series` in the retained off intervals up to `t`. */
function offWh(state: MeterState, series: WeeklySeries, t: number): number {
  let wh = 0;
  for (const [start, end] of state.offIntervals) {
    if (start >= t) break;
    wh += series.cumulative(Math.min(end ?? t, t)) - series.cumulative(start);
  }
  return wh;
}

function profile(state: MeterState, series: WeeklySeries, firstSlotMs: number, count: number): number[] {
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const start = firstSlotMs + i * HALF_HOUR_MS;
    values[i] = unsupplied(state, start + HALF_HOUR_MS) ? 0 : series.halfHourWh(start);
  }
  return values;
}

function unsupplied(state: MeterState, slotEnd: number): boolean {
  for (const [start, end] of state.offIntervals) {
    if (slotEnd > start && (end === null || slotEnd <= end)) return true;
  }
  return false;
}
