import { BODY_LIMITS, numberIn, oneOf, type BodyRule } from './body-rules.js';

/**
 * 6.4.1 load limit periods, seconds. DUIS gives no range in the samples (they carry 300 s and 30 s); the hub
 * bounds both to a day, which keeps every setting a meter could usefully hold.
 */
export const LOAD_LIMIT_PERIOD_S = { min: 1, max: 86_400 } as const;

/** DUIS LoadLimitSupplyState as the wire numbers it (absent keeps the meter's setting; 0 is no value). */
export const LOAD_LIMIT_SUPPLY_STATES = { 1: 'unchanged', 2: 'disable' } as const;

/** 6.4.1 General Settings: the threshold, the two periods and the supply action, each optional. */
export const loadLimitRules: readonly BodyRule[] = [
  numberIn('thresholdW', BODY_LIMITS.loadLimitW.min, BODY_LIMITS.loadLimitW.max, {
    integer: true,
    optional: true,
  }),
  numberIn('loadLimitPeriodS', LOAD_LIMIT_PERIOD_S.min, LOAD_LIMIT_PERIOD_S.max, {
    integer: true,
    optional: true,
  }),
  numberIn('loadLimitRestorationPeriodS', LOAD_LIMIT_PERIOD_S.min, LOAD_LIMIT_PERIOD_S.max, {
    integer: true,
    optional: true,
  }),
  (fields) =>
    fields['loadLimitSupplyState'] === undefined
      ? undefined
      : oneOf('loadLimitSupplyState', LOAD_LIMIT_SUPPLY_STATES)(fields),
];
