import { Unexpressible, type BodyReader } from './body-reader.js';
import { empty, readLogPeriod, type RequestBody, type SampleMapper } from './map-common.js';

/** A DUIS decimal as an integer of 10^-digits units ("1.3" at 1 digit → 13); more decimals cannot be carried. */
function scaled(text: string, digits: number): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  const fraction = (match?.[2] ?? '').replace(/0+$/, '');
  if (!match || fraction.length > digits)
    throw new Unexpressible(`"${text}" has more than ${digits} decimals`);
  return Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** A channel group: its empty elements Channel<n>, as channel numbers. */
function channels(body: BodyReader, group: string): number[] {
  const element = body.optionalChild(group);
  if (!element) return [];
  return element.names().map((name) => {
    if (!element.flag(name) || !/^Channel\d+$/.test(name))
      throw new Unexpressible(`${group}/${name} is no channel`);
    return Number(name.slice('Channel'.length));
  });
}

const count = (body: BodyReader, name: string) => Number(body.text(name));

/** 6.28: the channel groups and the thresholds, percentages in tenths or hundredths of a percent. */
function setConfiguration(body: BodyReader): RequestBody {
  return {
    $case: 'setChfSubGhzConfiguration',
    value: {
      lowerBandChannels0To26: channels(body, 'LowerBandSubGHzChannels0To26'),
      lowerBandChannels27To34: channels(body, 'LowerBandSubGHzChannels27To34'),
      lowerBandChannels35To61: channels(body, 'LowerBandSubGHzChannels35To61'),
      upperBandChannels0To26: channels(body, 'UpperBandSubGHzChannels0To26'),
      normalLimitedDutyCycleThresholdTenthPercent: scaled(body.text('NormalLimitedDutyCycleThreshold'), 1),
      limitedCriticalDutyCycleThresholdTenthPercent: scaled(
        body.text('LimitedCriticalDutyCycleThreshold'),
        1,
      ),
      maximumChannelChangesPerWeek: count(body, 'MaximumSubGHzChannelChangesPerWeek'),
      gsmeCurfew: count(body, 'GSMECurfew'),
      channelQuieterThreshold: count(body, 'ChannelQuieterThreshold'),
      channelNoisierThreshold: count(body, 'ChannelNoisierThreshold'),
      nonGsmePoorCommsPercentageThresholdHundredthPercent: scaled(
        body.text('NonGSMEPoorCommsPercentageThreshold'),
        2,
      ),
      nonGsmePoorCommsMeasurementPeriods: count(body, 'NonGSMEPoorCommsMeasurementPeriods'),
      localChNoiseMeasurementPeriod: count(body, 'LocalCHNoiseMeasurementPeriod'),
      localChFailurePercentageHundredthPercent: scaled(body.text('LocalCHFailurePercentage'), 2),
      localChRetryPercentageHundredthPercent: scaled(body.text('LocalCHRetryPercentage'), 2),
    },
  };
}

/** The CHF's Sub-GHz radio: 6.28 configure, 6.29 scan, 6.30 to 6.32 reads. */
export const CHF_RADIO_MAPPERS: Record<string, SampleMapper> = {
  '6.28': setConfiguration,
  '6.29': empty('requestChfSubGhzChannelScan'),
  '6.30': empty('readChfSubGhzConfiguration'),
  '6.31': empty('readChfSubGhzChannel'),
  '6.32': (body) => ({ $case: 'readChfSubGhzChannelLog', value: { period: readLogPeriod(body) } }),
};
