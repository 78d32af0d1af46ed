import type { VoltageConfig } from '../meter-state.js';
import {
  averageRmsVoltageV,
  mergeVoltageConfig,
  rmsVoltageV,
  setVoltageConfig,
  voltageCounters,
} from '../voltage.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime } from './outcome.js';
import { Params } from './params.js';
import type { Acknowledged, NetworkData, UpdateVoltageConfigParams } from './types.js';

const THRESHOLDS = [
  'averageOverV',
  'averageUnderV',
  'extremeOverV',
  'extremeUnderV',
  'swellV',
  'sagV',
] as const;
const PERIODS = ['averagePeriodS', 'extremePeriodS', 'sagSwellPeriodS'] as const;

/** 4.10: RMS voltage now, its average over the last day, and the voltage events counted. */
export const readNetworkData: SrvHandler<undefined, NetworkData> = {
  parse: (raw) => Params.none('4.10', raw),
  execute: (ctx) =>
    done({
      rmsVoltageV: rmsVoltageV(ctx.device, ctx.at),
      averageRmsVoltageV: averageRmsVoltageV(ctx.device, ctx.at),
      voltageEvents: voltageCounters(ctx.state),
      meterTimeMs: meterTime(ctx),
    }),
};

/**
 * 6.5: voltage thresholds (V) and the periods (s) an excursion must last to count. The merged configuration must
 * keep the thresholds in order; otherwise INVALID_ARGUMENT and nothing changes.
 */
export const updateVoltageConfiguration: SrvHandler<UpdateVoltageConfigParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('6.5', raw).only(...THRESHOLDS, ...PERIODS).atLeastOne(...THRESHOLDS, ...PERIODS);
    const out: UpdateVoltageConfigParams = {};
    for (const key of THRESHOLDS) {
      const value = p.optionalNumber(key, 0, 500);
      if (value !== undefined) out[key] = value;
    }
    for (const key of PERIODS) {
      if (p.has(key)) out[key] = p.integer(key, 1, 3_600);
    }
    return out;
  },
  validate(ctx, params) {
    mergeVoltageConfig(ctx.state, params as Partial<VoltageConfig>);
  },
  execute(ctx, params) {
    setVoltageConfig(ctx.state, mergeVoltageConfig(ctx.state, params as Partial<VoltageConfig>));
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
