import { fnv1a32 } from '@dcc/domain';
import { mix32 } from './hash-mix.js';
import { SLOTS_PER_DAY } from './time.js';

/** First and last half hour (exclusive) of daylight generation: 06:00 to 20:00 UTC. */
const DAWN_SLOT = 12;
const DUSK_SLOT = 40;
/** Share of generation that is exported rather than used on the premises. */
const EXPORT_SHARE = 0.6;

/**
 * Deterministic export (on-site generation, e.g. solar) of one meter: a daylight bell curve scaled by a
 * per-meter peak and a per-weekday cloudiness, derived from (device id, seed). Like ConsumptionModel it repeats
 * weekly, so export registers have a closed form. A simulation, not a weather model.
 */
export class ExportModel {
  private readonly key: number;
  private readonly peakW: number;
  /** Export register reading at the epoch, Wh. */
  readonly initialWh: number;

  constructor(deviceId: string, seed = 0) {
    this.key = mix32(fnv1a32(deviceId) ^ 0x5eed_e4b0, seed);
    this.peakW = 2_000 + (this.key % 3_000);
    this.initialWh = (mix32(this.key, 2) % 5_000) * 1_000;
  }

  /** Wh exported in slot `i` of the week (day * 48 + half hour). */
  slotWh(i: number): number {
    const slot = i % SLOTS_PER_DAY;
    if (slot < DAWN_SLOT || slot >= DUSK_SLOT) return 0;
    const day = Math.floor(i / SLOTS_PER_DAY);
    const sun = Math.sin((Math.PI * (slot - DAWN_SLOT + 0.5)) / (DUSK_SLOT - DAWN_SLOT));
    const clouds = 0.3 + (mix32(this.key, 200 + day) % 71) / 100;
    return Math.round(this.peakW * sun * clouds * 0.5 * EXPORT_SHARE);
  }
}
