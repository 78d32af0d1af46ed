import type { MeterState, Tariff } from './meter-state.js';
import { perDayAccrual } from './money.js';
import { SLOTS_PER_DAY } from './time.js';

/** Most TOU rates the model's switching table can name. */
export const MAX_RATES = 8;

/**
 * The tariff of a meter nobody has sent 1.1.1 to: Economy 7 style, half hours before 07:00 UTC on rate 2
 * (night), the rest on rate 1 (day), which is the split ConsumptionModel.touRegistersWh uses. Prices are
 * plausible 2025 figures, not anyone's tariff.
 */
export const DEFAULT_TARIFF: Tariff = {
  table: '2'.repeat(14) + '1'.repeat(SLOTS_PER_DAY - 14),
  pricesMp: [24_500, 13_000],
  standingMpPerDay: 53_000,
};

export function tariffOf(state: MeterState): Tariff {
  return state.tariff ?? DEFAULT_TARIFF;
}

export function rateCount(tariff: Tariff): number {
  return tariff.pricesMp.length;
}

export function tableFromRates(rates: readonly number[]): string {
  return rates.map((r) => String.fromCharCode(48 + r)).join('');
}

/**
 * Cumulative cost of the energy in TOU registers under the tariff's prices, millipence (floored). Registers
 * only grow, so the cost of the energy between two readings is the difference of two values of this.
 */
export function energyCostMp(tariff: Tariff, registersWh: readonly number[]): number {
  let cost = 0;
  for (let i = 0; i < registersWh.length; i++) cost += registersWh[i]! * (tariff.pricesMp[i] ?? 0);
  return Math.floor(cost / 1_000);
}

/** Cumulative standing charge from the epoch to `t`, millipence. */
export function standingChargeMp(tariff: Tariff, t: number): number {
  return perDayAccrual(tariff.standingMpPerDay, t);
}
