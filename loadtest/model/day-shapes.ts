import type { ScenarioName } from './traffic-day.ts';

/**
 * How each scenario's daily count spreads over the hours of the day (UTC, 00:00 first), as relative weights.
 * Assumed shapes (no published hourly profile): on-demand reads follow household activity (morning and evening
 * peaks); top-ups peak when people get up and come home; critical commands and schedule creation run in
 * suppliers' business-hour batches; the nightly collection runs in a 01:00-05:00 window.
 */
export const HOURLY_WEIGHTS: Record<ScenarioName, readonly number[]> = {
  'nightly-collection': [0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  'on-demand-reads': household(),
  'on-demand-profile': household(),
  'top-ups': [1, 0.5, 0.3, 0.3, 0.5, 1, 3, 6, 7, 6, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 6, 4, 3, 2],
  'critical-commands': businessHours(),
  schedules: businessHours(),
};

function household(): number[] {
  return [2, 1, 1, 1, 1, 2, 4, 7, 9, 8, 6, 6, 6, 6, 6, 6, 7, 9, 10, 10, 9, 7, 5, 3];
}

function businessHours(): number[] {
  return [0, 0, 0, 0, 0, 0, 0, 1, 4, 6, 6, 6, 5, 6, 6, 6, 5, 3, 1, 0, 0, 0, 0, 0];
}

/** Requests per second of a scenario in hour `hour` (0-23), for `perDay` requests a day. */
export function hourlyRate(scenario: ScenarioName, perDay: number, hour: number): number {
  const weights = HOURLY_WEIGHTS[scenario];
  const total = weights.reduce((a, b) => a + b, 0);
  return (perDay * (weights[hour] ?? 0)) / total / 3600;
}
