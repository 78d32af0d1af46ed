import type { JsonValue, MeterState, Tariff } from './meter-state.js';
import { actionsNamed, halfHourActions } from './tariff-calendar.js';
import { tableFromRates } from './tariff.js';

/*
 * The tariffs a meter holds in DUIS form (1.1.1's ElecTariffElements or GasTariffElements with their prices,
 * 1.1.2's secondary element), as sent (tariff.proto's shape, JSON), and its Tariff Block Counter Matrix.
 *
 * Metering: the model's registers advance by one daily table (metering.ts), so a DUIS tariff is metered by the
 * day profile in force on the day it takes effect (its season, week profile and special days resolved for that
 * date), one register per TOU rate it names, then one per block row it names (the energy of that row's half
 * hours). Later days of another season or special day are not switched to; 4.11.1 reads back the whole tariff.
 * The secondary element (a twin element's) is held and read back; the model meters one element.
 */

export interface TariffBook {
  /** The primary element in DUIS form (TariffPrimaryElement), or null. */
  primary: JsonValue;
  primaryFromMs: number;
  /** The secondary element ({switchingTable, specialDays, priceElements}), or null. */
  secondary: JsonValue;
  secondaryFromMs: number;
  /** The block counters restarted at this instant (true time), when the registers stood at countersBaseWh. */
  countersSinceMs: number;
  countersBaseWh: number[];
  /** 6.26: the counters restart at every midnight (UTC) as well. */
  dailyReset: boolean;
}

export const EMPTY_BOOK: TariffBook = {
  primary: null,
  primaryFromMs: 0,
  secondary: null,
  secondaryFromMs: 0,
  countersSinceMs: 0,
  countersBaseWh: [],
  dailyReset: false,
};

type Obj = { [key: string]: JsonValue };
const o = (value: JsonValue | undefined): Obj => (value && typeof value === 'object' ? (value as Obj) : {});
const nums = (value: JsonValue | undefined): number[] =>
  Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];

export function bookOf(state: MeterState): TariffBook {
  return state.tariffBook ?? EMPTY_BOOK;
}

/** The parts of a primary element: its fuel, switching table, special days and prices. */
export function primaryParts(primary: JsonValue) {
  const elements = o(o(primary)['tariffElements']);
  const fuel = o(o(o(primary)['priceElements'])['fuel']);
  const e = o(elements['value']);
  return {
    gas: elements['$case'] === 'gasTariffElements',
    elements: e,
    table: e['switchingTable'] ?? null,
    specialDays: e['specialDays'] ?? null,
    prices: o(fuel['value']),
  };
}

/** A DUIS scaled price (× 10^scale GBP) in millipence: × 10^(scale + 5); scales -5..0 keep it whole. */
const millipence = (value: number, scale: number) => Math.round(value * 10 ** (scale + 5));

/** Price of TOU rate `rate` and of block row `row`'s first block, millipence; a GSME's scale is -5. */
function priceMp(prices: Obj, gas: boolean, kind: 'tou' | 'block', index: number): number {
  if (gas) {
    const tariff = o(prices['tariff']);
    const form = tariff['$case'] === 'blockTariff' ? 'block' : 'tou';
    const list = nums(o(tariff['value'])['prices']);
    return form === kind ? (list[kind === 'block' ? 0 : index - 1] ?? 0) : 0;
  }
  const scale = typeof prices['priceScale'] === 'number' ? prices['priceScale'] : 0;
  const value =
    kind === 'tou'
      ? nums(prices['touPrices'])[index - 1]
      : nums(o(Array.isArray(prices['blockPrices']) ? prices['blockPrices'][index - 1] : null)['prices'])[0];
  return millipence(value ?? 0, scale);
}

/** How the tariff's actions map to registers: TOU rates first, then block rows. */
export function registerLayout(primary: JsonValue): { touRates: number; blockRows: number } {
  return actionsNamed(primaryParts(primary).table);
}

/** The daily table the registers advance by while the primary element is in force from `ms`. */
export function meteringTariff(primary: JsonValue, ms: number): Tariff {
  const { gas, table, specialDays, prices } = primaryParts(primary);
  const { touRates, blockRows } = registerLayout(primary);
  const rates = halfHourActions(table, specialDays, ms).map((a) =>
    a.kind === 'tou' ? a.index : touRates + a.index,
  );
  const pricesMp = [
    ...Array.from({ length: touRates }, (_, i) => priceMp(prices, gas, 'tou', i + 1)),
    ...Array.from({ length: blockRows }, (_, i) => priceMp(prices, gas, 'block', i + 1)),
  ];
  const standingScale = gas
    ? -5
    : typeof prices['standingChargeScale'] === 'number'
      ? prices['standingChargeScale']
      : 0;
  const standing = typeof prices['standingCharge'] === 'number' ? prices['standingCharge'] : 0;
  return { table: tableFromRates(rates), pricesMp, standingMpPerDay: millipence(standing, standingScale) };
}

/** The thresholds of block row `row` (1-based) that apply, ascending, DUIS's "none" filler left out. */
export function rowThresholds(primary: JsonValue, row: number): number[] {
  const { gas, elements, prices } = primaryParts(primary);
  if (gas) {
    const tariff = o(prices['tariff']);
    const count = o(tariff['value'])['numberOfThresholds'];
    const thresholds = nums(elements['blockThresholds']);
    return typeof count === 'number' ? thresholds.slice(0, count) : thresholds;
  }
  const matrix = Array.isArray(elements['thresholdMatrix']) ? elements['thresholdMatrix'] : [];
  return nums(o(matrix[row - 1])['thresholds']).filter((t) => t < 4_294_967_295);
}

/** Energy counted in a block row split over its 4 blocks by the row's thresholds (cumulative, ascending). */
export function splitIntoBlocks(consumption: number, thresholds: readonly number[]): number[] {
  const blocks = [0, 0, 0, 0];
  let below = 0;
  for (const [i, threshold] of thresholds.slice(0, 3).entries()) {
    blocks[i] = Math.max(0, Math.min(consumption, threshold) - below);
    below = Math.max(below, threshold);
  }
  blocks[Math.min(thresholds.length, 3)]! += Math.max(0, consumption - below);
  return blocks;
}
