import { numberIn, type BodyFields, type BodyRule } from './body-rules.js';

/**
 * 6.28 Set CHF Sub GHz Configuration: each DUIS channel group holds channels of its own range, at least one channel
 * is enabled, percentages are at most 100 (in the wire's tenths or hundredths of a percent). DCC-REFERENCE gives
 * no other ranges; the counts and periods are checked as whole numbers.
 */
export const CHANNEL_GROUPS = {
  lowerBandChannels0To26: [0, 26],
  lowerBandChannels27To34: [27, 34],
  lowerBandChannels35To61: [35, 61],
  upperBandChannels0To26: [0, 26],
} as const;

const COUNTS = [
  'maximumChannelChangesPerWeek',
  'gsmeCurfew',
  'channelQuieterThreshold',
  'channelNoisierThreshold',
  'nonGsmePoorCommsMeasurementPeriods',
  'localChNoiseMeasurementPeriod',
];
const TENTHS = [
  'normalLimitedDutyCycleThresholdTenthPercent',
  'limitedCriticalDutyCycleThresholdTenthPercent',
];
const HUNDREDTHS = [
  'nonGsmePoorCommsPercentageThresholdHundredthPercent',
  'localChFailurePercentageHundredthPercent',
  'localChRetryPercentageHundredthPercent',
];

function channels(fields: BodyFields, group: keyof typeof CHANNEL_GROUPS): string | number {
  const list = fields[group];
  if (list === undefined) return 0;
  if (!Array.isArray(list)) return `${group} must be a list of channels`;
  const [min, max] = CHANNEL_GROUPS[group];
  const wrong = list.find((c) => typeof c !== 'number' || !Number.isInteger(c) || c < min || c > max);
  if (wrong !== undefined) return `${group} holds channel ${String(wrong)}, not one of ${min} to ${max}`;
  if (new Set(list).size !== list.length) return `${group} names a channel twice`;
  return list.length;
}

export const chfSubGhzConfigurationRule: BodyRule = (fields) => {
  let enabled = 0;
  for (const group of Object.keys(CHANNEL_GROUPS) as (keyof typeof CHANNEL_GROUPS)[]) {
    const count = channels(fields, group);
    if (typeof count === 'string') return count;
    enabled += count;
  }
  if (enabled === 0) return 'the configuration enables no channel';
  const rules = [
    ...COUNTS.map((field) => numberIn(field, 0, 0xffff, { integer: true })),
    ...TENTHS.map((field) => numberIn(field, 0, 1_000, { integer: true })),
    ...HUNDREDTHS.map((field) => numberIn(field, 0, 10_000, { integer: true })),
  ];
  for (const rule of rules) {
    const wrong = rule(fields);
    if (wrong) return wrong;
  }
  return undefined;
};
