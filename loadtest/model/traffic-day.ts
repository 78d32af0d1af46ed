import {
  DAYS_PER_MONTH,
  DCC_ALERTS_PER_MONTH_2022,
  DEVICE_ALERTS_PER_MONTH_2022,
  MESSAGES_PER_MONTH_2024,
  METERS_2022,
  METERS_2024,
  READ_SHARE,
} from './published-volumes.ts';

/**
 * One day of a 30-million-meter estate, derived from the published volumes. Assumptions (each marked, and
 * documented with the sources in loadtest/README.md):
 *
 * - Messages scale with meters: 2.2 bn a month for 32 M meters is 68.75 per meter a month, 2.26 a day. Every
 *   message is counted as a Service Request a User sends (an upper bound: the published count may include
 *   responses).
 * - 60 % of messages are reads. The daily bursts are the nightly collection: one 4.8.1 (yesterday's half hours)
 *   per meter per day, the §9 arithmetic; the rest of the reads are on demand, 4.1.1 and 4.8.1 (assumed 70/30).
 * - Of the other 40 %: prepayment top-ups (2.2), critical commands (transform, sign, submit) and schedule
 *   creation (5.1) at assumed daily counts (below); the remainder (configuration, inventory, change of supplier,
 *   firmware...) is reported as not generated.
 * - Alerts come from meters, not Users: reported at the 2022 per-meter rate, not generated.
 */
export interface TrafficDay {
  meters: number;
  messagesPerDay: number;
  readsPerDay: number;
  /** Requests a day each generated scenario carries at this estate size. */
  perDay: Record<ScenarioName, number>;
  /** Messages a day of the other SRVs, not generated. */
  notGeneratedPerDay: number;
  deviceAlertsPerDay: number;
  dccAlertsPerDay: number;
}

export type ScenarioName =
  | 'nightly-collection'
  | 'on-demand-reads'
  | 'on-demand-profile'
  | 'top-ups'
  | 'critical-commands'
  | 'schedules';

/** Assumed daily counts for 30 M meters (not published): see loadtest/README.md. */
const ASSUMED_PER_DAY_AT_30M = {
  /** ~5 M smart prepayment meters, a top-up every ~5 days. */
  'top-ups': 1_000_000,
  /** Tariff changes, supply and payment-mode changes in suppliers' business-hour batches. */
  'critical-commands': 600_000,
  /** New schedules at installs, changes of supplier and MDR appointments. */
  schedules: 150_000,
} as const;
const ON_DEMAND_PROFILE_SHARE = 0.3;

export function trafficDay(meters = 30_000_000): TrafficDay {
  const messagesPerDay = (MESSAGES_PER_MONTH_2024 / METERS_2024 / DAYS_PER_MONTH) * meters;
  const readsPerDay = messagesPerDay * READ_SHARE;
  const nightly = meters;
  const onDemand = Math.max(0, readsPerDay - nightly);
  const scale = meters / 30_000_000;
  const perDay: Record<ScenarioName, number> = {
    'nightly-collection': nightly,
    'on-demand-reads': onDemand * (1 - ON_DEMAND_PROFILE_SHARE),
    'on-demand-profile': onDemand * ON_DEMAND_PROFILE_SHARE,
    'top-ups': ASSUMED_PER_DAY_AT_30M['top-ups'] * scale,
    'critical-commands': ASSUMED_PER_DAY_AT_30M['critical-commands'] * scale,
    schedules: ASSUMED_PER_DAY_AT_30M.schedules * scale,
  };
  const generated = Object.values(perDay).reduce((a, b) => a + b, 0);
  const perMeterDay = (perMonth: number) => (perMonth / METERS_2022 / DAYS_PER_MONTH) * meters;
  return {
    meters,
    messagesPerDay,
    readsPerDay,
    perDay,
    notGeneratedPerDay: Math.max(0, messagesPerDay - generated),
    deviceAlertsPerDay: perMeterDay(DEVICE_ALERTS_PER_MONTH_2022),
    dccAlertsPerDay: perMeterDay(DCC_ALERTS_PER_MONTH_2022),
  };
}
