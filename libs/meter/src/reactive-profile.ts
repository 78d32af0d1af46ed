import type { SrvHandler } from './commands/handler.js';
import { MAX_PROFILE_SPAN_MS, readLogPeriod, visibleSlots } from './commands/log-commands.js';
import { done } from './commands/outcome.js';
import type { ReactiveProfileData, ReadLogPeriod } from './commands/types.js';
import { HALF_HOUR_MS } from './time.js';

/**
 * The reactive energy an ESME imports with each watt-hour of active energy: tan(acos(0.95)), the power factor of a
 * typical domestic load (mostly resistive, some motors and switched-mode supplies). The model keeps it fixed, so the
 * reactive profile follows the active one half hour by half hour, including the half hours without supply (zero).
 */
export const REACTIVE_VARH_PER_WH = Math.tan(Math.acos(0.95));

/** 4.8.2: 48 half-hour reactive import values a day, at most 31 days per read; same visibility as 4.8.1. */
export const readReactiveImportProfile: SrvHandler<ReadLogPeriod, ReactiveProfileData> = {
  parse: (raw) => readLogPeriod('4.8.2', raw, MAX_PROFILE_SPAN_MS),
  execute(ctx, period) {
    const { first, count } = visibleSlots(ctx, period);
    const activeWh = ctx.device.metering.importProfile(ctx.state, first, count);
    const valuesVarh = activeWh.map((wh) => Math.round(wh * REACTIVE_VARH_PER_WH));
    return done({ firstSlotStartMs: first, slotMs: HALF_HOUR_MS, valuesVarh });
  },
};
