// The traffic model: plain TypeScript, no Node or k6 import, imported by loadtest/k6 scripts and loadtest/runner.
// Relative imports carry their .ts extension so k6 (which resolves files as named) loads them as they are.
export { p1363ToDer } from './der-signature.ts';
export { ESTATE_METERS, estatePass, meterId, meterIndex } from './estate.ts';
export { HOURLY_WEIGHTS, hourlyRate } from './day-shapes.ts';
export * as published from './published-volumes.ts';
export {
  arrivals,
  executorEndSeconds,
  fullDayProfile,
  smokeProfile,
  type Executor,
  type Profile,
} from './profiles.ts';
export { counterFacts, requestCounter, requestId, type CounterFacts } from './request-ids.ts';
export {
  createSchedule,
  dailyProfileSchedule,
  readRegisters,
  readYesterdaysProfile,
  submitSigned,
  TARIFF,
  topUp,
  transformTariff,
  type Iteration,
  type WireRequest,
} from './requests.ts';
export {
  HUB_ID,
  SCENARIOS,
  scenario,
  scenarioByIndex,
  USERS,
  type LoadUser,
  type Scenario,
} from './scenarios.ts';
export {
  DEFAULT_THRESHOLDS,
  judge,
  k6Thresholds,
  withOverrides,
  type ScenarioOutcome,
  type Thresholds,
  type Verdict,
} from './thresholds.ts';
export { trafficDay, type ScenarioName, type TrafficDay } from './traffic-day.ts';
export { topUpNumber } from './top-ups.ts';
