import { configure, currentChannel, scan, subGhzConfig, type SubGhzConfig } from '../sub-ghz.js';
import type { SrvHandler } from './handler.js';
import { done, meterTime, type ExecContext } from './outcome.js';
import { Params } from './params.js';
import type { ReadLogPeriod, SubGhzChannelLog, SubGhzChannelReading, SubGhzConfigReading } from './types.js';

const GROUPS = {
  lowerBandChannels0To26: [0, 26],
  lowerBandChannels27To34: [27, 34],
  lowerBandChannels35To61: [35, 61],
  upperBandChannels0To26: [0, 26],
} as const;
const VALUES = {
  normalLimitedDutyCycleThresholdTenthPercent: 1_000,
  limitedCriticalDutyCycleThresholdTenthPercent: 1_000,
  maximumChannelChangesPerWeek: 0xffff,
  gsmeCurfew: 0xffff,
  channelQuieterThreshold: 0xffff,
  channelNoisierThreshold: 0xffff,
  nonGsmePoorCommsPercentageThresholdHundredthPercent: 10_000,
  nonGsmePoorCommsMeasurementPeriods: 0xffff,
  localChNoiseMeasurementPeriod: 0xffff,
  localChFailurePercentageHundredthPercent: 10_000,
  localChRetryPercentageHundredthPercent: 10_000,
} as const;

function parseConfig(raw: unknown): SubGhzConfig {
  const p = new Params('6.28', raw).only(...Object.keys(GROUPS), ...Object.keys(VALUES));
  const config: Record<string, number | number[]> = {};
  for (const [group, [min, max]] of Object.entries(GROUPS)) {
    config[group] = p.has(group) ? p.numbers(group, min, max).map(Math.trunc) : [];
  }
  for (const [field, max] of Object.entries(VALUES)) config[field] = p.integer(field, 0, max);
  const typed = config as unknown as SubGhzConfig;
  const enabled = Object.keys(GROUPS).reduce((n, group) => n + (config[group] as number[]).length, 0);
  if (enabled === 0) throw p.error('the configuration enables no channel');
  return typed;
}

const radio = (ctx: ExecContext) => ctx.state.subGhz;
const configReading = (ctx: ExecContext): SubGhzConfigReading => ({
  configuration: structuredClone(subGhzConfig(radio(ctx))),
  meterTimeMs: meterTime(ctx),
});
const channelReading = (ctx: ExecContext, changed: boolean): SubGhzChannelReading => ({
  channel: { ...currentChannel(radio(ctx), ctx.device.deviceId) },
  changed,
  meterTimeMs: meterTime(ctx),
});

/** 6.28 Set CHF Sub GHz Configuration: the channels and thresholds the CHF works with from now on. */
export const setSubGhzConfiguration: SrvHandler<SubGhzConfig, SubGhzConfigReading> = {
  parse: parseConfig,
  execute(ctx, config) {
    configure(radio(ctx), ctx.device.deviceId, config, meterTime(ctx));
    return done(configReading(ctx));
  },
  beforeCommissioning: true,
};

/** 6.29 Request CHF Sub GHz Channel Scan: the CHF moves to the quietest enabled channel (sub-ghz.ts, scan). */
export const requestSubGhzChannelScan: SrvHandler<undefined, SubGhzChannelReading> = {
  parse: (raw) => Params.none('6.29', raw),
  execute: (ctx) => done(channelReading(ctx, scan(radio(ctx), ctx.device.deviceId, meterTime(ctx)))),
  beforeCommissioning: true,
};

/** 6.30 Read CHF Sub GHz Configuration: what 6.28 set, else the CHF's defaults. */
export const readSubGhzConfiguration: SrvHandler<undefined, SubGhzConfigReading> = {
  parse: (raw) => Params.none('6.30', raw),
  execute: (ctx) => done(configReading(ctx)),
  beforeCommissioning: true,
};

/** 6.31 Read CHF Sub GHz Channel: the channel the CHF operates on. */
export const readSubGhzChannel: SrvHandler<undefined, SubGhzChannelReading> = {
  parse: (raw) => Params.none('6.31', raw),
  execute: (ctx) => done(channelReading(ctx, false)),
  beforeCommissioning: true,
};

/** 6.32 Read CHF Sub GHz Channel Log: the channel changes in [start, end), meter time. */
export const readSubGhzChannelLog: SrvHandler<ReadLogPeriod, SubGhzChannelLog> = {
  parse(raw) {
    const p = new Params('6.32', raw).only('startMs', 'endMs');
    const period = { startMs: p.integer('startMs'), endMs: p.integer('endMs') };
    if (period.endMs <= period.startMs) throw p.error('the period must end after it starts');
    return period;
  },
  execute: (ctx, period) =>
    done({
      changes: radio(ctx)
        .log.filter((entry) => entry.atMs >= period.startMs && entry.atMs < period.endMs)
        .map((entry) => ({ atMs: entry.atMs, channel: { ...entry.channel } })),
      meterTimeMs: meterTime(ctx),
    }),
  beforeCommissioning: true,
};
