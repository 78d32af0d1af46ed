import { fnv1a32 } from '@dcc/domain';

export const HALF_HOUR_MS = 30 * 60 * 1000;
const SLOTS_PER_DAY = 48;
const DAYS_PER_WEEK = 7;
const WEEK_MS = DAYS_PER_WEEK * SLOTS_PER_DAY * HALF_HOUR_MS;
const DAY_MS = SLOTS_PER_DAY * HALF_HOUR_MS;
/** Economy-7 style split: slots before 07:00 UTC count to the night (rate 2) register. */
const NIGHT_SLOTS = 14;

/** A typical domestic day's shape (relative load per half hour, 00:00 first): low night, morning and evening peaks. */
const DAY_SHAPE = [
  5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6, 8, 11, 13, 13, 12, 10, 9, 9, 9, 9, 10, 10, 10, 9, 9, 9, 10, 11, 13, 16,
  19, 21, 21, 20, 18, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
];

/**
 * The deterministic consumption of one meter: every half-hour value derives from (device id, fleet seed, time),
 * so a national fleet's 1.44 billion daily values need no storage. Consumption repeats weekly, which gives the
 * registers a closed form: a register reading is O(1) and equals the sum of the profile up to that instant.
 */
export class ConsumptionModel {
  /** Wh per half hour, indexed [dayOfWeek * 48 + slot]. */
  private readonly slotWh = new Uint32Array(DAYS_PER_WEEK * SLOTS_PER_DAY);
  /** Running totals: prefix[i] = sum of slotWh before i, per rate; prefix[336] is the week total. */
  private readonly prefixDay = new Float64Array(DAYS_PER_WEEK * SLOTS_PER_DAY + 1);
  private readonly prefixNight = new Float64Array(DAYS_PER_WEEK * SLOTS_PER_DAY + 1);
  /** Register reading at the epoch (meters are not new), Wh. */
  readonly initialWh: number;

  constructor(deviceId: string, seed = 0) {
    const h = fnv1a32(`${deviceId}/${seed}`);
    const annualKwh = 1_800 + (h % 4_200);
    const dailyWh = (annualKwh * 1_000) / 365;
    const shapeTotal = DAY_SHAPE.reduce((a, b) => a + b, 0);
    this.initialWh = (fnv1a32(`${deviceId}/${seed}/initial`) % 50_000) * 1_000;
    for (let day = 0; day < DAYS_PER_WEEK; day++) {
      const dayFactor = 0.85 + (fnv1a32(`${deviceId}/${seed}/d${day}`) % 31) / 100;
      for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
        const jitter = 0.7 + (fnv1a32(`${deviceId}/${seed}/${day}/${slot}`) % 61) / 100;
        const i = day * SLOTS_PER_DAY + slot;
        this.slotWh[i] = Math.round(((dailyWh * dayFactor * DAY_SHAPE[slot]!) / shapeTotal) * jitter);
        const night = slot < NIGHT_SLOTS;
        this.prefixDay[i + 1] = this.prefixDay[i]! + (night ? 0 : this.slotWh[i]!);
        this.prefixNight[i + 1] = this.prefixNight[i]! + (night ? this.slotWh[i]! : 0);
      }
    }
  }

  /** Energy imported in the half hour starting at `startMs` (aligned to a half hour), Wh. */
  halfHourWh(startMs: number): number {
    return this.slotWh[weekSlot(startMs)]!;
  }

  /** The 48 half-hour values of the UTC day containing `dayMs`, 00:00 first, Wh. */
  dayProfile(dayMs: number): number[] {
    const start = Math.floor(dayMs / DAY_MS) * DAY_MS;
    return Array.from({ length: SLOTS_PER_DAY }, (_, s) => this.halfHourWh(start + s * HALF_HOUR_MS));
  }

  /** Time-of-use import registers at `atMs`: [day rate, night rate], Wh (whole half hours only). */
  touRegistersWh(atMs: number): [number, number] {
    const weeks = Math.floor(atMs / WEEK_MS);
    const slot = weekSlot(atMs);
    const weekDay = this.prefixDay[DAYS_PER_WEEK * SLOTS_PER_DAY]!;
    const weekNight = this.prefixNight[DAYS_PER_WEEK * SLOTS_PER_DAY]!;
    return [weeks * weekDay + this.prefixDay[slot]!, weeks * weekNight + this.prefixNight[slot]!];
  }

  /** Total active import register at `atMs`, Wh: the epoch reading plus every half hour completed since. */
  totalImportWh(atMs: number): number {
    const [day, night] = this.touRegistersWh(atMs);
    return this.initialWh + day + night;
  }
}

function weekSlot(ms: number): number {
  const inWeek = ((ms % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return Math.floor(inWeek / HALF_HOUR_MS);
}
