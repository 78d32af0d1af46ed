import { atLeastOne, BODY_LIMITS, numberIn, oneOf, period, type BodyRule } from './body-rules.js';

/*
 * Checks before I99 of the device log SRVs (6.13, 3.3) and an ESME's demand and power settings (6.18.1, 6.18.2,
 * 6.12). The device model enforces the same limits (it imports them from here).
 */

const HALF_HOUR_S = 1_800;
const DAY_S = 86_400;

export const LOG_AND_DEMAND_LIMITS = {
  /**
   * 6.13: no longest period. DCC's samples ask for 2014-12-31 to 2030-01-01 (CS10a); the answer is bounded by
   * the log itself (the entries the device keeps).
   */
  eventLogReadDays: Number.POSITIVE_INFINITY,
  /** 6.12 power thresholds, watts (DUIS LowMediumPowerThreshold, MediumHighPowerThreshold; inferred range). */
  powerThresholdW: { min: 1, max: 1_000_000 },
  /** 6.18.1: the window is whole demand periods (half hours) of a UTC day, seconds after midnight. */
  demandPeriodS: HALF_HOUR_S,
  dayS: DAY_S,
} as const;

/** 6.13 DUIS LogToRead, as DeviceLogKind numbers. */
export const DEVICE_LOG_KINDS = { 1: 'EVENT', 2: 'SECURITY', 3: 'POWER_EVENT', 4: 'ALCS_EVENT' } as const;

export const readEventOrSecurityLogRules: readonly BodyRule[] = [
  period('period', LOG_AND_DEMAND_LIMITS.eventLogReadDays),
  oneOf('log', DEVICE_LOG_KINDS),
];

/** 3.3 DUIS ESMEEventLogType, absent (0) for a device other than an ESME (the device checks which it is). */
export const clearEventLogRules: readonly BodyRule[] = [
  oneOf('esmeLog', { 0: 'absent', 1: 'ESME', 2: 'ALCS' }),
];

/** 6.18.1: a daily window of whole half hours, start before end. */
export const maximumDemandPeriodRules: readonly BodyRule[] = [
  numberIn('startTimeS', 0, DAY_S - HALF_HOUR_S, { integer: true }),
  numberIn('endTimeS', HALF_HOUR_S, DAY_S, { integer: true }),
  (fields) => {
    const [start, end] = [fields['startTimeS'] as number, fields['endTimeS'] as number];
    if (start % HALF_HOUR_S !== 0 || end % HALF_HOUR_S !== 0) {
      return 'startTimeS and endTimeS must fall on half-hour boundaries (the demand periods)';
    }
    return start < end ? undefined : 'startTimeS must be before endTimeS';
  },
];

/** 6.18.2: at least one register to reset. */
export const resetMaximumDemandRules: readonly BodyRule[] = [
  atLeastOne('activePowerImport', 'activePowerExport', 'configurableTimeActivePowerImport'),
];

/** 6.12: both thresholds, low-medium below medium-high. */
export const powerThresholdRules: readonly BodyRule[] = [
  ...['lowMediumPowerThresholdW', 'mediumHighPowerThresholdW'].map((field) =>
    numberIn(field, LOG_AND_DEMAND_LIMITS.powerThresholdW.min, LOG_AND_DEMAND_LIMITS.powerThresholdW.max, {
      integer: true,
    }),
  ),
  (fields) =>
    (fields['lowMediumPowerThresholdW'] as number) < (fields['mediumHighPowerThresholdW'] as number)
      ? undefined
      : 'lowMediumPowerThresholdW must be below mediumHighPowerThresholdW',
];

/** 4.10: the period of the average RMS voltage profile is optional; when given, at most a profile read's days. */
export const readNetworkDataRules: readonly BodyRule[] = [
  (fields) =>
    fields['period'] === undefined || fields['period'] === null
      ? undefined
      : period('period', BODY_LIMITS.profileReadDays)(fields),
];
