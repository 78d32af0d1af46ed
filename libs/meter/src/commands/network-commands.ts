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
import { HALF_HOUR_MS } from '../time.js';
import { MAX_PROFILE_SPAN_MS, readLogPeriod, visibleSlots } from './log-commands.js';
import type { Acknowledged, NetworkData, ReadLogPeriod, UpdateVoltageConfigParams } from './types.js';

const THRESHOLDS = [
  'averageOverV',
  'averageUnderV',
  'extremeOverV',
  'extremeUnderV',
  'swellV',
  'sagV',
] as const;
const PERIODS = ['averagePeriodS', 'extremePeriodS', 'sagSwellPeriodS'] as const;

/**
 * 4.10: RMS voltage now, its average over the last day, the voltage events counted and, for a period, an ESME's
 * average RMS voltage profile (one value per completed, visible half hour, as its other profiles; a gas device
 * measures no voltage and lists none).
 */
export const readNetworkData: SrvHandler<ReadLogPeriod | undefined, NetworkData> = {
  parse: (raw) =>
    raw === undefined || raw === null || (typeof raw === 'object' && Object.keys(raw).length === 0)
      ? undefined
      : readLogPeriod('4.10', raw, MAX_PROFILE_SPAN_MS),
  execute(ctx, period) {
    const slots = period && ctx.device.profile.deviceType === 'ESME' ? visibleSlots(ctx, period) : undefined;
    const averageRmsVoltageProfile = Array.from({ length: slots?.count ?? 0 }, (_, i) => {
      const startMs = slots!.first + i * HALF_HOUR_MS;
      return { startMs, voltageV: rmsVoltageV(ctx.device, startMs) };
    });
    return done({
      rmsVoltageV: rmsVoltageV(ctx.device, ctx.at),
      averageRmsVoltageV: averageRmsVoltageV(ctx.device, ctx.at),
      voltageEvents: voltageCounters(ctx.state),
      meterTimeMs: meterTime(ctx),
      averageRmsVoltageProfile,
    });
  },
};

/**
 * 6.5: voltage thresholds (V) and the periods (s) an excursion must last to count. The merged configuration must
 * keep the thresholds in order; otherwise INVALID_ARGUMENT and nothing changes. The voltage event counters are
 * zeroed unless the request keeps them.
 */
export const updateVoltageConfiguration: SrvHandler<UpdateVoltageConfigParams, Acknowledged> = {
  parse(raw) {
    const p = new Params('6.5', raw)
      .only(...THRESHOLDS, ...PERIODS, 'keepCounters')
      .atLeastOne(...THRESHOLDS, ...PERIODS);
    const out: UpdateVoltageConfigParams = {};
    if (p.has('keepCounters')) {
      if (typeof p.raw('keepCounters') !== 'boolean') throw p.error('keepCounters must be true or false');
      if (p.raw('keepCounters') === true) out.keepCounters = true;
    }
    for (const key of THRESHOLDS) {
      const value = p.optionalNumber(key, 0, 500);
      if (value !== undefined) out[key] = value;
    }
    for (const key of PERIODS) {
      if (p.has(key)) out[key] = p.integer(key, 1, 3_600);
    }
    return out;
  },
  validate(ctx, { keepCounters: _keep, ...settings }) {
    mergeVoltageConfig(ctx.state, settings as Partial<VoltageConfig>);
  },
  execute(ctx, { keepCounters, ...settings }) {
    setVoltageConfig(ctx.state, mergeVoltageConfig(ctx.state, settings as Partial<VoltageConfig>));
    // New thresholds count from zero unless the sender asked to keep the counts (DUIS RMSVoltageCountersNotReset).
    if (!keepCounters) ctx.state.voltageCounters = null;
    return done({ meterTimeMs: meterTime(ctx) });
  },
};
