import { LOG_AND_DEMAND_LIMITS } from '@dcc/domain';
import { currentMaxDemand, resetMaxDemand, setDemandWindow, type DemandRegisterName } from '../max-demand.js';
import type { DemandRegister, MaxDemandState } from '../meter-state.js';
import { floorTo, HALF_HOUR_MS } from '../time.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type {
  Acknowledged,
  ActivePowerReading,
  DemandReading,
  DemandWindowParams,
  MaxDemandConfigReading,
  MaxDemandExportReading,
  MaxDemandImportReading,
  PowerThresholdParams,
  PowerThresholdsReading,
  ResetMaxDemandParams,
} from './types.js';

/** The thresholds an ESME shows power bands by until 6.12 sets them (the model's defaults), watts. */
export const DEFAULT_POWER_THRESHOLDS_W: readonly [number, number] = [1_000, 3_000];

const { demandPeriodS, dayS, powerThresholdW } = LOG_AND_DEMAND_LIMITS;
const REGISTERS: readonly DemandRegisterName[] = ['import', 'export', 'window'];

const reading = ([powerW, atMs]: DemandRegister): DemandReading => ({ powerW, atMs });

function configReading(ctx: ExecContext, md: MaxDemandState): MaxDemandConfigReading {
  return {
    activePowerImport: reading(md.import),
    activePowerExport: reading(md.export),
    configurableTimeActivePowerImport: reading(md.window),
    startTimeS: md.windowStartS,
    endTimeS: md.windowEndS,
    meterTimeMs: meterTime(ctx),
  };
}

/** 4.16: active power import now: the demand of the half hour in progress (0 while the premises are off). */
export const readActivePowerImport: SrvHandler<undefined, ActivePowerReading> = {
  parse: (raw) => Params.none('4.16', raw),
  execute(ctx) {
    const { metering } = ctx.device;
    const [wh] = metering.importProfile(ctx.state, floorTo(ctx.at, HALF_HOUR_MS), 1);
    const activePowerImportW = metering.energised(ctx.state) ? Math.round(wh! * 2) : 0;
    return done({ activePowerImportW, meterTimeMs: meterTime(ctx) });
  },
};

/** 4.12.1: the import and configurable-time import maximum demand registers. */
export const readMaxDemandImport: SrvHandler<undefined, MaxDemandImportReading> = {
  parse: (raw) => Params.none('4.12.1', raw),
  execute(ctx) {
    const md = currentMaxDemand(ctx.state, ctx.device, ctx.at);
    return done({
      activePowerImport: reading(md.import),
      configurableTimeActivePowerImport: reading(md.window),
      meterTimeMs: meterTime(ctx),
    });
  },
};

/** 4.12.2: the export maximum demand register (zero on an ESME without export). */
export const readMaxDemandExport: SrvHandler<undefined, MaxDemandExportReading> = {
  parse: (raw) => Params.none('4.12.2', raw),
  execute(ctx) {
    const md = currentMaxDemand(ctx.state, ctx.device, ctx.at);
    return done({ activePowerExport: reading(md.export), meterTimeMs: meterTime(ctx) });
  },
};

/** 6.18.1: the daily window of the configurable-time register (whole half hours, start before end). */
export const setMaxDemandWindow: SrvHandler<DemandWindowParams, MaxDemandConfigReading> = {
  parse(raw) {
    const p = new Params('6.18.1', raw).only('startS', 'endS');
    const startS = p.integer('startS', 0, dayS - demandPeriodS);
    const endS = p.integer('endS', demandPeriodS, dayS);
    if (startS % demandPeriodS !== 0 || endS % demandPeriodS !== 0 || startS >= endS) {
      throw p.error('the window must be whole half hours of a day, start before end');
    }
    return { startS, endS };
  },
  execute: (ctx, window) => done(configReading(ctx, setDemandWindow(ctx.state, ctx.device, ctx.at, window))),
};

/** 6.18.2: zeroes the registers named. */
export const resetMaxDemandRegisters: SrvHandler<ResetMaxDemandParams, MaxDemandConfigReading> = {
  parse(raw) {
    const p = new Params('6.18.2', raw).only('registers');
    const value = p.raw('registers');
    if (!Array.isArray(value) || value.length === 0 || !value.every((r) => REGISTERS.includes(r))) {
      throw p.error(`registers must name at least one of ${REGISTERS.join(', ')}`);
    }
    return { registers: [...new Set(value as DemandRegisterName[])] };
  },
  execute: (ctx, { registers }) =>
    done(configReading(ctx, resetMaxDemand(ctx.state, ctx.device, ctx.at, registers))),
};

function thresholds(ctx: ExecContext): PowerThresholdsReading {
  const [low, high] = ctx.state.powerThresholdsW ?? DEFAULT_POWER_THRESHOLDS_W;
  return { lowMediumPowerThresholdW: low, mediumHighPowerThresholdW: high, meterTimeMs: meterTime(ctx) };
}

/** 6.12: the power band thresholds, low-medium below medium-high. */
export const updatePowerThresholds: SrvHandler<PowerThresholdParams, PowerThresholdsReading> = {
  parse(raw) {
    const p = new Params('6.12', raw).only('lowMediumW', 'mediumHighW');
    const lowMediumW = p.integer('lowMediumW', powerThresholdW.min, powerThresholdW.max);
    const mediumHighW = p.integer('mediumHighW', powerThresholdW.min, powerThresholdW.max);
    if (lowMediumW >= mediumHighW) throw p.error('lowMediumW must be below mediumHighW');
    return { lowMediumW, mediumHighW };
  },
  execute(ctx, { lowMediumW, mediumHighW }) {
    const isDefault =
      lowMediumW === DEFAULT_POWER_THRESHOLDS_W[0] && mediumHighW === DEFAULT_POWER_THRESHOLDS_W[1];
    ctx.state.powerThresholdsW = isDefault ? null : [lowMediumW, mediumHighW];
    return done(thresholds(ctx));
  },
};

/** 6.2.5: the power band thresholds in force. */
export const readPowerThresholds: SrvHandler<undefined, PowerThresholdsReading> = {
  parse: (raw) => Params.none('6.2.5', raw),
  execute: (ctx) => done(thresholds(ctx)),
};

/** 6.27: the ESME zeroes its voltage event counters (what 4.10 reports). */
export const resetRmsVoltageCounters: SrvHandler<undefined, Acknowledged> = {
  parse: (raw) => Params.none('6.27', raw),
  execute(ctx) {
    ctx.state.voltageCounters = null;
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
