import { averageRmsVoltageV, rmsVoltageV, voltageCounters } from '../voltage.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime } from './outcome.js';
import { HALF_HOUR_MS } from '../time.js';
import { MAX_PROFILE_SPAN_MS, readLogPeriod, visibleSlots } from './log-commands.js';
import type { NetworkData, ReadLogPeriod } from './types.js';

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
