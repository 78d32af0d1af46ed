import { billingCalendarRule, DccError } from '@dcc/domain';
import { billingInstants } from '../billing-calendar.js';
import type { JsonValue } from '../meter-state.js';
import { DAILY_LOG_RETENTION_MS, visibleFromMs } from '../tenancy.js';
import type { SrvHandler } from './handler.js';
import { MAX_DAILY_READ_SPAN_MS, readLogPeriod, visibleMidnights } from './log-commands.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  BillingCalendarParams,
  BillingCalendarReading,
  BillingDataLog,
  ExportDailyReadLog,
  ReadLogPeriod,
} from './types.js';

/** Billing dates the billing-calendar-triggered billing data log keeps (the model's bound, the latest ones). */
export const BILLING_CALENDAR_LOG_ENTRIES = 12;

type Fuel = 'electricity' | 'gas';

/** A GSME, or the GPF answering for it, bills gas; an ESME electricity. */
function fuelOf(ctx: ExecContext): Fuel {
  return ctx.device.profile.deviceType === 'ESME' ? 'electricity' : 'gas';
}

function reading(ctx: ExecContext): BillingCalendarReading {
  const held = ctx.state.billingCalendar;
  return {
    ...(held ? { [held.fuel]: structuredClone(held.calendar) } : {}),
    meterTimeMs: meterTime(ctx),
  };
}

/**
 * 6.8: the meter takes the calendar of its own fuel (INVALID_ARGUMENT otherwise: an ESME has no gas calendar),
 * checked with the hub's rule, and bills by it from now on (billing-calendar.ts).
 */
export const updateBillingCalendar: SrvHandler<BillingCalendarParams, BillingCalendarReading> = {
  parse(raw) {
    const p = new Params('6.8', raw).only('electricity', 'gas');
    const bad = billingCalendarRule({ electricity: p.raw('electricity'), gas: p.raw('gas') });
    if (bad) throw p.error(bad);
    return p.has('electricity')
      ? { electricity: p.raw('electricity') as JsonValue }
      : { gas: p.raw('gas') as JsonValue };
  },
  validate(ctx, params) {
    const fuel = fuelOf(ctx);
    if (params[fuel] === undefined) {
      throw DccError.invalidArgument(
        `SRV 6.8: a ${ctx.device.profile.deviceType} takes a${fuel === 'gas' ? ' gas' : 'n electricity'} billing calendar`,
      );
    }
  },
  execute(ctx, params) {
    const fuel = fuelOf(ctx);
    ctx.state.billingCalendar = { fuel, calendar: structuredClone(params[fuel]!), setAtMs: ctx.at };
    return done(reading(ctx));
  },
};

/** 6.2.3: the calendar 6.8 set, as sent; none until one was. */
export const readBillingCalendar: SrvHandler<undefined, BillingCalendarReading> = {
  parse: (raw) => Params.none('6.2.3', raw),
  execute: (ctx) => done(reading(ctx)),
};

/**
 * 4.4.3: the import register at each billing date the calendar closed in the period, since it was set and within
 * what the device can still show (tenancy restriction, retention, log horizon); the latest
 * BILLING_CALENDAR_LOG_ENTRIES of them.
 */
export const readBillingCalendarLog: SrvHandler<ReturnType<typeof readLogPeriod>, BillingDataLog> = {
  parse: (raw) => readLogPeriod('4.4.3', raw, Number.POSITIVE_INFINITY),
  execute(ctx, period) {
    const held = ctx.state.billingCalendar;
    if (!held) return done({ entries: [] });
    const from = Math.max(
      period.startMs,
      held.setAtMs,
      visibleFromMs(ctx.state, ctx.at, DAILY_LOG_RETENTION_MS),
    );
    const to = Math.min(period.endMs, ctx.at + 1);
    const entries = billingInstants(held, from, to, BILLING_CALENDAR_LOG_ENTRIES).map((atMs) => ({
      atMs,
      totalImportWh: ctx.device.metering.importTotalWh(ctx.state, atMs),
    }));
    return done({ entries });
  },
};

/** 4.6.2: the total export register at each UTC midnight in the period (zero on an ESME without export). */
export const readExportDailyReadLog: SrvHandler<ReadLogPeriod, ExportDailyReadLog> = {
  parse: (raw) => readLogPeriod('4.6.2', raw, MAX_DAILY_READ_SPAN_MS),
  execute: (ctx, period) =>
    done({
      entries: visibleMidnights(ctx, period, false).map((atMs) => ({
        atMs,
        totalActiveExportWh: ctx.device.metering.exportTotalWh(ctx.state, atMs),
      })),
    }),
};

/** 4.4.2: the captures at each change of payment mode or tariff in the period (billing-triggers.ts). */
export const readModeOrTariffLog: SrvHandler<ReadLogPeriod, BillingDataLog> = {
  parse: (raw) => readLogPeriod('4.4.2', raw, Number.POSITIVE_INFINITY),
  execute(ctx, period) {
    const from = Math.max(period.startMs, visibleFromMs(ctx.state, ctx.at, DAILY_LOG_RETENTION_MS));
    const entries = ctx.state.modeOrTariffCaptures
      .filter(([atMs]) => atMs! >= from && atMs! < period.endMs)
      .map(([atMs, wh]) => ({ atMs: atMs!, totalImportWh: wh! }));
    return done({ entries });
  },
};
