import { fnv1a32 } from '@dcc/domain';

/** A Sub-GHz HAN channel of the CHF: lower band 0-61 or upper band 0-26. */
export interface SubGhzChannel {
  upperBand: boolean;
  channel: number;
}

/** 6.28's configuration, in the wire's units (chf_sub_ghz.proto). */
export interface SubGhzConfig {
  lowerBandChannels0To26: number[];
  lowerBandChannels27To34: number[];
  lowerBandChannels35To61: number[];
  upperBandChannels0To26: number[];
  normalLimitedDutyCycleThresholdTenthPercent: number;
  limitedCriticalDutyCycleThresholdTenthPercent: number;
  maximumChannelChangesPerWeek: number;
  gsmeCurfew: number;
  channelQuieterThreshold: number;
  channelNoisierThreshold: number;
  nonGsmePoorCommsPercentageThresholdHundredthPercent: number;
  nonGsmePoorCommsMeasurementPeriods: number;
  localChNoiseMeasurementPeriod: number;
  localChFailurePercentageHundredthPercent: number;
  localChRetryPercentageHundredthPercent: number;
}

/** The CHF's radio state: null fields are the device defaults. */
export interface SubGhzState {
  config: SubGhzConfig | null;
  channel: SubGhzChannel | null;
  /** Channel changes, oldest first, at most SUB_GHZ_LOG_ENTRIES (meter time). */
  log: { atMs: number; channel: SubGhzChannel }[];
}

/** How many channel changes the CHF keeps in its log (the model's, inferred). */
export const SUB_GHZ_LOG_ENTRIES = 64;
const WEEK_MS = 7 * 86_400_000;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A CHF out of the box (the model's defaults, inferred; DCC's 6.28 sample's thresholds): every lower-band channel
 * enabled, the upper band off.
 */
export const DEFAULT_SUB_GHZ_CONFIG: SubGhzConfig = {
  lowerBandChannels0To26: range(0, 26),
  lowerBandChannels27To34: range(27, 34),
  lowerBandChannels35To61: range(35, 61),
  upperBandChannels0To26: [],
  normalLimitedDutyCycleThresholdTenthPercent: 13,
  limitedCriticalDutyCycleThresholdTenthPercent: 22,
  maximumChannelChangesPerWeek: 5,
  gsmeCurfew: 7,
  channelQuieterThreshold: 7,
  channelNoisierThreshold: 12,
  nonGsmePoorCommsPercentageThresholdHundredthPercent: 6_000,
  nonGsmePoorCommsMeasurementPeriods: 130,
  localChNoiseMeasurementPeriod: 100,
  localChFailurePercentageHundredthPercent: 4_000,
  localChRetryPercentageHundredthPercent: 3_000,
};

export const emptySubGhz = (): SubGhzState => ({ config: null, channel: null, log: [] });

export function subGhzConfig(state: SubGhzState): SubGhzConfig {
  return state.config ?? DEFAULT_SUB_GHZ_CONFIG;
}

/** The channels the configuration lets the CHF use, lower band first. */
export function enabledChannels(config: SubGhzConfig): SubGhzChannel[] {
  const lower = [
    ...config.lowerBandChannels0To26,
    ...config.lowerBandChannels27To34,
    ...config.lowerBandChannels35To61,
  ].map((channel) => ({ upperBand: false, channel }));
  return [...lower, ...config.upperBandChannels0To26.map((channel) => ({ upperBand: true, channel }))];
}

const same = (a: SubGhzChannel, b: SubGhzChannel) => a.upperBand === b.upperBand && a.channel === b.channel;

/** The channel the CHF is on: the last it moved to, else one derived from its id among those enabled. */
export function currentChannel(state: SubGhzState, deviceId: string): SubGhzChannel {
  if (state.channel) return state.channel;
  const enabled = enabledChannels(subGhzConfig(state));
  return enabled[fnv1a32(deviceId) % enabled.length]!;
}

/** Moves the CHF to `channel` at `atMs` (meter time) and logs it; false when it is on it already. */
export function moveTo(state: SubGhzState, deviceId: string, channel: SubGhzChannel, atMs: number): boolean {
  if (same(currentChannel(state, deviceId), channel)) return false;
  state.channel = channel;
  state.log.push({ atMs, channel });
  if (state.log.length > SUB_GHZ_LOG_ENTRIES) state.log.shift();
  return true;
}

/**
 * 6.29: the CHF measures its enabled channels and takes the quietest; the noise is the model's, derived from the
 * device id and the hour, so a scan is repeatable. It stays where it is once it has changed channel the
 * configured maximum number of times in the last seven days.
 */
export function scan(state: SubGhzState, deviceId: string, atMs: number): boolean {
  const config = subGhzConfig(state);
  const recent = state.log.filter((entry) => entry.atMs > atMs - WEEK_MS).length;
  if (recent >= config.maximumChannelChangesPerWeek) return false;
  const enabled = enabledChannels(config);
  const hour = Math.floor(atMs / 3_600_000);
  const quietest = enabled[fnv1a32(`${deviceId}:${hour}`) % enabled.length]!;
  return moveTo(state, deviceId, quietest, atMs);
}

/** 6.28: a new configuration; a CHF on a channel it no longer enables moves to the first one it does. */
export function configure(state: SubGhzState, deviceId: string, config: SubGhzConfig, atMs: number): void {
  const current = currentChannel(state, deviceId);
  state.channel = current;
  state.config = config;
  const enabled = enabledChannels(config);
  if (!enabled.some((channel) => same(channel, current))) moveTo(state, deviceId, enabled[0]!, atMs);
}
