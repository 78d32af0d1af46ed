import { fnv1a32 } from '@dcc/domain';

export const HALF_HOUR_MS = 30 * 60 * 1000;
const SLOTS_PER_DAY = 48;
const DAYS_PER_WEEK = 7;
const SLOTS_PER_WEEK = DAYS_PER_WEEK * SLOTS_PER_DAY;
const WEEK_MS = SLOTS_PER_WEEK * HALF_HOUR_MS;
const DAY_MS = SLOTS_PER_DAY * HALF_HOUR_MS;
/** Economy-7 style split: slots before 07:00 UTC count to the night (rate 2) register. */
const NIGHT_SLOTS = 14;

/** A typical domestic day's shape (relative load per half hour, 00:00 first): low night, morning and evening peaks. */
const DAY_SHAPE = [
  5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6, 8, 11, 13, 13, 12, 10, 9, 9, 9, 9, 10, 10, 10, 9, 9, 9, 10, 11, 13, 16,
  19, 21, 21, 20, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
];
const SHAPE_TOTAL = DAY_SHAPE.reduce((a, b) => a + b, 0);

/** A 32-bit integer mix (murmur3 finaliser): cheap, allocation-free noise from integers. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The deterministic consumption of one meter: every half-hour value derives from (device id, fleet seed, time),
 * so a national fleet's 1.44 billion daily values need no storage. Consumption repeats weekly, which gives the
 * registers a closed form: a reading costs one pass over a week of slots at most and always equals the sum of the
 * profile up to that instant. A model holds a few numbers, so building one per activation is cheap.
 */
export class ConsumptionModel {
  private readonly key: number;
  private readonly dailyWh: number;
  /** Register reading at the epoch (meters are not new), Wh. */
  readonly initialWh: number;
  private weekTotals: [number, number] | undefined;

  constructor(deviceId: string, seed = 0) {
    this.key = mix(fnv1a32(deviceId), seed);
    this.dailyWh = ((1_800 + (this.key % 4_200)) * 1_000) / 365;
    this.initialWh = (mix(this.key, 1) % 50_000) * 1_000;
  }

  /** Energy imported in the half hour starting at `startMs`, Wh. */
  halfHourWh(startMs: number): number {
    return this.slotWh(weekSlot(startMs));
  }

  /** The 48 half-hour values of the UTC day containing `dayMs`, 00:00 first, Wh. */
  dayProfile(dayMs: number): number[] {
    const start = Math.floor(dayMs / DAY_MS) * DAY_MS;
    return Array.from({ length: SLOTS_PER_DAY }, (_, s) => this.halfHourWh(start + s * HALF_HOUR_MS));
  }

  /** Time-of-use import registers at `atMs`: [day rate, night rate], Wh (whole half hours only). */
  touRegistersWh(atMs: number): [number, number] {
    const weeks = Math.floor(atMs / WEEK_MS);
    const upTo = weekSlot(atMs);
    let day: number;
    let night: number;
    if (this.weekTotals) [day, night] = this.sumSlots(upTo);
    else {
      // A fresh model (every activation makes one) sums the week once, noting the partial sum on the way.
      const partial: [number, number] = [0, 0];
      this.weekTotals = this.sumSlots(SLOTS_PER_WEEK, upTo, partial);
      [day, night] = partial;
    }
    const [weekDay, weekNight] = this.weekTotals;
    return [weeks * weekDay + day, weeks * weekNight + night];
  }

  /** Total active import register at `atMs`, Wh: the epoch reading plus every half hour completed since. */
  totalImportWh(atMs: number): number {
    const [day, night] = this.touRegistersWh(atMs);
    return this.initialWh + day + night;
  }

  /** Wh in slot `i` of the week (day * 48 + half hour). */
  private slotWh(i: number): number {
    const day = (i / SLOTS_PER_DAY) | 0;
    const slot = i - day * SLOTS_PER_DAY;
    const dayFactor = 0.85 + (mix(this.key, 100 + day) % 31) / 100;
    const jitter = 0.7 + (mix(this.key, 1_000 + i) % 61) / 100;
    return Math.round(((this.dailyWh * dayFactor * DAY_SHAPE[slot]!) / SHAPE_TOTAL) * jitter);
  }

  /**
   * Day-rate and night-rate totals of the week's first `slots` slots; with `partial`, also those of the first
   * `partialSlots` slots, written into it.
   */
  private sumSlots(slots: number, partialSlots = -1, partial?: [number, number]): [number, number] {
    let day = 0;
    let night = 0;
    for (let i = 0; i < slots; i++) {
      if (i === partialSlots && partial) {
        partial[0] = day;
        partial[1] = night;
      }
      if (i % SLOTS_PER_DAY < NIGHT_SLOTS) night += this.slotWh(i);
      else day += this.slotWh(i);
    }
    return [day, night];
  }
}

function weekSlot(ms: number): number {
  const inWeek = ((ms % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return Math.floor(inWeek / HALF_HOUR_MS);
}
