import {
  priceElementsProblem,
  secondaryPricesProblem,
  tariffPrimaryProblem,
  tariffSecondaryRule,
} from '@dcc/domain';
import type { JsonValue } from '../meter-state.js';
import {
  bookOf,
  meteringTariff,
  primaryParts,
  registerLayout,
  rowThresholds,
  splitIntoBlocks,
} from '../tariff-book.js';
import { DAY_MS, floorTo } from '../time.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, refused, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import { applyTariff } from './apply-tariff.js';
import type {
  BlockCountersReading,
  BlockMatricesReading,
  DailyResetConfig,
  DailyResetParams,
  PriceElementsParams,
  SecondaryElementParams,
  TariffPrimaryReading,
  TariffSecondaryReading,
} from './tariff-types.js';

const BLOCK_ROWS = 8;
const copy = (value: unknown) => structuredClone(value ?? null) as JsonValue;
type Obj = { [key: string]: JsonValue };

/** 1.1.1 in DUIS form: the new tariff is metered from now, and the block counters restart with its rows. */
export function applyDuisTariff(ctx: ExecContext, tariff: JsonValue): void {
  applyTariff(ctx, meteringTariff(tariff, meterTime(ctx)));
  ctx.state.tariffBook = {
    ...bookOf(ctx.state),
    primary: tariff,
    primaryFromMs: meterTime(ctx),
    countersSinceMs: ctx.at,
    countersBaseWh: ctx.device.metering.touRegistersWh(ctx.state, ctx.at),
  };
}

export function parseDuisTariff(p: Params): JsonValue {
  const problem = tariffPrimaryProblem(p.raw('tariff'));
  if (problem) throw p.error(problem);
  return copy(p.raw('tariff'));
}

const primaryReading = (ctx: ExecContext): TariffPrimaryReading => {
  const book = bookOf(ctx.state);
  return { tariff: book.primary, effectiveFromMs: book.primaryFromMs, meterTimeMs: meterTime(ctx) };
};

const secondaryReading = (ctx: ExecContext): TariffSecondaryReading => {
  const book = bookOf(ctx.state);
  return { secondary: book.secondary, effectiveFromMs: book.secondaryFromMs, meterTimeMs: meterTime(ctx) };
};

/** Registers the counters restarted from: the stored base, or those at the last midnight with daily reset. */
function countersBase(ctx: ExecContext): { sinceMs: number; baseWh: number[] } {
  const book = bookOf(ctx.state);
  const midnight = floorTo(meterTime(ctx), DAY_MS) - ctx.state.clockOffsetMs;
  if (!book.dailyReset || midnight <= book.countersSinceMs) {
    return { sinceMs: book.countersSinceMs, baseWh: book.countersBaseWh };
  }
  // Registers are known from the last tariff change on; a midnight before it counts from there.
  const from = Math.max(midnight, ctx.state.touBaseMs);
  return { sinceMs: midnight, baseWh: ctx.device.metering.touRegistersWh(ctx.state, from) };
}

/** The Tariff Block Counter Matrix: each block row's energy since the base, split by the row's thresholds. */
function blockMatrices(ctx: ExecContext): BlockMatricesReading {
  const book = bookOf(ctx.state);
  const registers = ctx.device.metering.touRegistersWh(ctx.state, ctx.at);
  const { sinceMs, baseWh } = countersBase(ctx);
  const { touRates, blockRows } = book.primary
    ? registerLayout(book.primary)
    : { touRates: registers.length, blockRows: 0 };
  const blockCounters = Array.from({ length: BLOCK_ROWS }, (_, i) => {
    if (i >= blockRows || !book.primary) return [0, 0, 0, 0];
    const register = touRates + i;
    const counted = (registers[register] ?? 0) - (baseWh[register] ?? 0);
    return splitIntoBlocks(Math.max(0, counted), rowThresholds(book.primary, i + 1));
  });
  return {
    touRegistersWh: registers.slice(0, Math.max(touRates, 1)),
    blockCounters,
    countersSinceMs: sinceMs,
    dailyReset: book.dailyReset,
    meterTimeMs: meterTime(ctx),
  };
}

export const updateImportTariffSecondaryElement: SrvHandler<SecondaryElementParams, TariffSecondaryReading> =
  {
    parse(raw) {
      const p = new Params('1.1.2', raw).only('switchingTable', 'specialDays', 'priceElements');
      const fields = {
        switchingTable: p.raw('switchingTable'),
        specialDays: p.raw('specialDays'),
        priceElements: p.raw('priceElements'),
      };
      const problem = tariffSecondaryRule(fields);
      if (problem) throw p.error(problem);
      return {
        switchingTable: copy(fields.switchingTable),
        specialDays: copy(fields.specialDays ?? []),
        priceElements: copy(fields.priceElements),
      };
    },
    execute(ctx, params) {
      ctx.state.tariffBook = {
        ...bookOf(ctx.state),
        secondary: { ...params },
        secondaryFromMs: meterTime(ctx),
      };
      return done(secondaryReading(ctx));
    },
  };

/** Electricity: the standing charge and scales, and whichever price lists are given, replace the tariff's. */
function repriced(primary: JsonValue, priceElements: JsonValue): JsonValue | string {
  const { gas, prices } = primaryParts(primary);
  const fuel = (priceElements as Obj)['fuel'] as Obj;
  const given = fuel['value'] as Obj;
  if (gas !== (fuel['$case'] === 'gas')) return 'the prices are of another fuel than the tariff in force';
  let value: Obj;
  if (gas) {
    const form = (t: JsonValue | undefined) => (t as Obj | undefined)?.['$case'];
    if (form(given['tariff']) !== form(prices['tariff']))
      return "the prices are not of the GSME tariff's kind (TOU or block)";
    value = given;
  } else {
    const tou = given['touPrices'] as JsonValue[];
    const blocks = given['blockPrices'] as JsonValue[];
    value = {
      ...prices,
      ...given,
      touPrices: tou.length > 0 ? tou : (prices['touPrices'] ?? []),
      blockPrices: blocks.length > 0 ? blocks : (prices['blockPrices'] ?? []),
    };
  }
  return { ...(primary as Obj), priceElements: { fuel: { $case: fuel['$case'] as string, value } } };
}

export const updatePricePrimaryElement: SrvHandler<PriceElementsParams, TariffPrimaryReading> = {
  parse(raw) {
    const p = new Params('1.2.1', raw).only('priceElements');
    const problem = priceElementsProblem(p.raw('priceElements'));
    if (problem) throw p.error(problem);
    return { priceElements: copy(p.raw('priceElements')) };
  },
  execute(ctx, params) {
    const book = bookOf(ctx.state);
    if (!book.primary)
      return refused(
        'NO_TARIFF_TO_REPRICE',
        'the meter holds no tariff in DUIS form to re-price (1.1.1 first)',
      );
    const primary = repriced(book.primary, params.priceElements);
    if (typeof primary === 'string') return refused('NO_TARIFF_TO_REPRICE', primary);
    // Same day profile as before (the tariff's own activation day); only the prices change.
    applyTariff(ctx, meteringTariff(primary, book.primaryFromMs));
    ctx.state.tariffBook = { ...bookOf(ctx.state), primary };
    return done(primaryReading(ctx));
  },
};

export const updatePriceSecondaryElement: SrvHandler<PriceElementsParams, TariffSecondaryReading> = {
  parse(raw) {
    const p = new Params('1.2.2', raw).only('priceElements');
    const problem = secondaryPricesProblem(p.raw('priceElements'));
    if (problem) throw p.error(problem);
    return { priceElements: copy(p.raw('priceElements')) };
  },
  execute(ctx, params) {
    const book = bookOf(ctx.state);
    if (!book.secondary)
      return refused('NO_TARIFF_TO_REPRICE', 'the meter holds no secondary element tariff (1.1.2 first)');
    ctx.state.tariffBook = {
      ...book,
      secondary: { ...(book.secondary as Obj), priceElements: params.priceElements },
    };
    return done(secondaryReading(ctx));
  },
};

export const resetTariffBlockCounterMatrix: SrvHandler<undefined, BlockMatricesReading> = {
  parse: (raw) => Params.none('1.7', raw),
  execute(ctx) {
    const registers = ctx.device.metering.touRegistersWh(ctx.state, ctx.at);
    ctx.state.tariffBook = { ...bookOf(ctx.state), countersSinceMs: ctx.at, countersBaseWh: registers };
    return done(blockMatrices(ctx));
  },
};

export const readTariffPrimaryElement: SrvHandler<undefined, TariffPrimaryReading> = {
  parse: (raw) => Params.none('4.11.1', raw),
  execute: (ctx) => done(primaryReading(ctx)),
};

export const readTariffSecondaryElement: SrvHandler<undefined, TariffSecondaryReading> = {
  parse: (raw) => Params.none('4.11.2', raw),
  execute: (ctx) => done(secondaryReading(ctx)),
};

export const readTouWithBlocksMatrices: SrvHandler<undefined, BlockMatricesReading> = {
  parse: (raw) => Params.none('4.1.3', raw),
  execute: (ctx) => done(blockMatrices(ctx)),
};

/** 4.1.4: a GSME has one block row (its block tariff's). */
export const readBlockCounters: SrvHandler<undefined, BlockCountersReading> = {
  parse: (raw) => Params.none('4.1.4', raw),
  execute(ctx) {
    const matrices = blockMatrices(ctx);
    return done({
      counters: matrices.blockCounters[0]!,
      countersSinceMs: matrices.countersSinceMs,
      meterTimeMs: matrices.meterTimeMs,
    });
  },
};

export const configureDailyBlockCounterReset: SrvHandler<DailyResetParams, DailyResetConfig> = {
  parse(raw) {
    const p = new Params('6.26', raw).only('dailyReset');
    if (typeof p.raw('dailyReset') !== 'boolean') throw p.error('dailyReset must be true or false');
    return { dailyReset: p.raw('dailyReset') as boolean };
  },
  execute(ctx, params) {
    ctx.state.tariffBook = { ...bookOf(ctx.state), dailyReset: params.dailyReset };
    return done({ dailyReset: params.dailyReset, meterTimeMs: meterTime(ctx) });
  },
};
