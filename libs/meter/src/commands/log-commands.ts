import { BODY_LIMITS } from '@dcc/domain';
import { energyWh, isGasDevice, volumeDm3 } from '../gas.js';
import { DAILY_LOG_RETENTION_MS, PROFILE_RETENTION_MS, restrictAccess, visibleFromMs } from '../tenancy.js';
import { ceilTo, DAY_MS, floorTo, HALF_HOUR_MS } from '../time.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  Acknowledged,
  DailyConsumptionLog,
  DailyReadLog,
  ProfileData,
  ReadLogPeriod,
  RestrictAccessParams,
} from './types.js';

/** Longest span one profile or daily consumption read may ask for (the hub checks it too: BODY_LIMITS). */
export const MAX_PROFILE_SPAN_MS = BODY_LIMITS.profileReadDays * DAY_MS;
export const MAX_DAILY_READ_SPAN_MS = DAILY_LOG_RETENTION_MS;

/*
 * Logs are labelled on the true UTC half-hour grid (the model meters energy on true time; a clock offset shifts
 * the meter's reported time and its schedule, not its log labels). Only completed periods are returned, and
 * never data from before the tenancy restriction, the retention limit or the model's log horizon.
 */

export function readLogPeriod(srv: string, raw: unknown, maxSpanMs: number): ReadLogPeriod {
  const p = new Params(srv, raw).only('startMs', 'endMs');
  const startMs = p.integer('startMs', 0);
  const endMs = p.integer('endMs', 0);
  if (endMs <= startMs) throw p.error('endMs must be after startMs');
  if (endMs - startMs > maxSpanMs) throw p.error(`the period is longer than ${maxSpanMs / DAY_MS} days`);
  return { startMs, endMs };
}

/** The half hours [first, first + count) that lie in the period, are complete and are visible. */
export function visibleSlots(ctx: ExecContext, period: ReadLogPeriod): { first: number; count: number } {
  const from = Math.max(period.startMs, visibleFromMs(ctx.state, ctx.at, PROFILE_RETENTION_MS));
  const first = ceilTo(from, HALF_HOUR_MS);
  const end = Math.min(ceilTo(period.endMs, HALF_HOUR_MS), floorTo(ctx.at, HALF_HOUR_MS));
  return { first, count: Math.max(0, (end - first) / HALF_HOUR_MS) };
}

/** The UTC midnights in the period that have passed and are visible. */
export function visibleMidnights(ctx: ExecContext, period: ReadLogPeriod, completeDays: boolean): number[] {
  const from = Math.max(period.startMs, visibleFromMs(ctx.state, ctx.at, DAILY_LOG_RETENTION_MS));
  const last = completeDays ? ctx.at - DAY_MS : ctx.at;
  const midnights: number[] = [];
  for (let m = ceilTo(from, DAY_MS); m < period.endMs && m <= last; m += DAY_MS) midnights.push(m);
  return midnights;
}

/** 4.8.1: 48 half-hour import values a day, at most 31 days per read. */
export const readImportProfile: SrvHandler<ReadLogPeriod, ProfileData> = {
  parse: (raw) => readLogPeriod('4.8.1', raw, MAX_PROFILE_SPAN_MS),
  execute(ctx, period) {
    const { first, count } = visibleSlots(ctx, period);
    if (isGasDevice(ctx.device.profile.deviceType)) return done(gasProfile(ctx, first, count));
    const valuesWh = ctx.device.metering.importProfile(ctx.state, first, count);
    return done({ firstSlotStartMs: first, slotMs: HALF_HOUR_MS, valuesWh });
  },
};

/** A gas meter's profile data log holds volume per half hour; the energy is derived from it. */
function gasProfile(ctx: ExecContext, first: number, count: number): ProfileData {
  const bounds = Array.from({ length: count + 1 }, (_, i) => first + i * HALF_HOUR_MS);
  const volumes = bounds.map((t) => volumeDm3(ctx.state, ctx.device, t));
  const energies = bounds.map((t) => energyWh(ctx.state, ctx.device, t));
  const steps = (values: number[]) => values.slice(1).map((value, i) => value - values[i]!);
  return {
    firstSlotStartMs: first,
    slotMs: HALF_HOUR_MS,
    valuesWh: steps(energies),
    valuesDm3: steps(volumes),
  };
}

/** 4.8.3: export per half hour; zeros for premises without export. */
export const readExportProfile: SrvHandler<ReadLogPeriod, ProfileData> = {
  parse: (raw) => readLogPeriod('4.8.3', raw, MAX_PROFILE_SPAN_MS),
  execute(ctx, period) {
    const { first, count } = visibleSlots(ctx, period);
    const valuesWh = ctx.device.metering.exportProfile(ctx.state, first, count);
    return done({ firstSlotStartMs: first, slotMs: HALF_HOUR_MS, valuesWh });
  },
};

/** 4.6.1: the total import register at each UTC midnight in the period. */
export const readDailyReadLog: SrvHandler<ReadLogPeriod, DailyReadLog> = {
  parse: (raw) => readLogPeriod('4.6.1', raw, MAX_DAILY_READ_SPAN_MS),
  execute(ctx, period) {
    const gas = isGasDevice(ctx.device.profile.deviceType);
    const entries = visibleMidnights(ctx, period, false).map((atMs) =>
      gas
        ? {
            atMs,
            totalActiveImportWh: energyWh(ctx.state, ctx.device, atMs),
            volumeDm3: volumeDm3(ctx.state, ctx.device, atMs),
          }
        : { atMs, totalActiveImportWh: ctx.device.metering.importTotalWh(ctx.state, atMs) },
    );
    const source = ctx.device.profile.noMidnightRead ? 'derived-from-profile' : 'daily-read-log';
    return done({ source, entries });
  },
};

/** 4.17: import per complete UTC day starting in the period, at most 31 days per read. */
export const readDailyConsumptionLog: SrvHandler<ReadLogPeriod, DailyConsumptionLog> = {
  parse: (raw) => readLogPeriod('4.17', raw, MAX_PROFILE_SPAN_MS),
  execute(ctx, period) {
    const { state, device } = ctx;
    const gas = isGasDevice(device.profile.deviceType);
    const entries = visibleMidnights(ctx, period, true).map((dayStartMs) => {
      const dayEnd = dayStartMs + DAY_MS;
      if (!gas) {
        const importWh =
          device.metering.importTotalWh(state, dayEnd) - device.metering.importTotalWh(state, dayStartMs);
        return { dayStartMs, importWh };
      }
      return {
        dayStartMs,
        importWh: energyWh(state, device, dayEnd) - energyWh(state, device, dayStartMs),
        volumeDm3: volumeDm3(state, device, dayEnd) - volumeDm3(state, device, dayStartMs),
      };
    });
    return done({ entries });
  },
};

/** 3.2: see tenancy.ts. */
export const restrictAccessForChangeOfTenancy: SrvHandler<RestrictAccessParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('3.2', raw).only('restrictionDateTimeMs');
    return { restrictionDateTimeMs: p.integer('restrictionDateTimeMs', 0) };
  },
  execute(ctx, { restrictionDateTimeMs }) {
    restrictAccess(ctx.state, restrictionDateTimeMs);
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
