import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';

const valid = {
  lowerBandChannels0To26: [1, 2],
  lowerBandChannels27To34: [28],
  lowerBandChannels35To61: [36],
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
const check = (value: Record<string, unknown>) => () =>
  checkRequestBody('6.28', { $case: 'setChfSubGhzConfiguration', value } as never);

describe('6.28 Set CHF Sub GHz Configuration is checked before the hub stores it', () => {
  it('passes DCC’s sample values', () => expect(check(valid)).not.toThrow());

  it('refuses no channel, a channel outside its group or named twice, and percentages over 100', () => {
    const none = { lowerBandChannels0To26: [], lowerBandChannels27To34: [], lowerBandChannels35To61: [] };
    expect(check({ ...valid, ...none })).toThrow(/enables no channel/);
    expect(check({ ...valid, lowerBandChannels35To61: [62] })).toThrow(/channel 62, not one of 35 to 61/);
    expect(check({ ...valid, upperBandChannels0To26: [3, 3] })).toThrow(/twice/);
    expect(check({ ...valid, localChRetryPercentageHundredthPercent: 10_001 })).toThrow(/localChRetry/);
    expect(check({ ...valid, normalLimitedDutyCycleThresholdTenthPercent: 1_001 })).toThrow(/normalLimited/);
  });
});
