// k6 load test of the DCC hub: every scenario of the traffic model (loadtest/model) against the real gRPC API,
// over mutual TLS as the development Users that hold the load estate's meters. Run with k6 v1 or later (native
// TypeScript), from this directory, against a hub whose registration holds the estate (see loadtest/README.md):
//   k6 run -e PROFILE=smoke -e ESTATE_SIZE=2000 hub-load.ts
//   k6 run -e PROFILE=full-day -e ESTATE_SIZE=30000000 -e DAY_SECONDS=86400 hub-load.ts
// The logic lives in the model, which this repository tests and its own open-model runner executes.
import exec from 'k6/execution';
import { Rate, Trend } from 'k6/metrics';
import grpc from 'k6/net/grpc';
import type { Options, Scenario as K6Scenario } from 'k6/options';
import { setTimeout } from 'k6/timers';
import {
  ESTATE_METERS,
  SCENARIOS,
  USERS,
  counterFacts,
  createSchedule,
  executorEndSeconds,
  fullDayProfile,
  k6Thresholds,
  meterId,
  meterIndex,
  readRegisters,
  readYesterdaysProfile,
  scenario as scenarioNamed,
  scenarioByIndex,
  smokeProfile,
  topUp,
  type Executor,
  type Iteration,
  type ScenarioName,
  type WireRequest,
} from '../model/index.ts';
import { clientFor } from './hub-connection.ts';
import { signedTariffUpdate } from './critical.ts';
import { utrnFor } from './utrns.ts';

const ESTATE_SIZE = Number(__ENV.ESTATE_SIZE ?? ESTATE_METERS);
const profile =
  __ENV.PROFILE === 'full-day'
    ? fullDayProfile(ESTATE_SIZE, Number(__ENV.DAY_SECONDS ?? 86_400))
    : smokeProfile(ESTATE_SIZE, Number(__ENV.SMOKE_SECONDS ?? 20));
const RUN_SECONDS =
  Math.max(...Object.values(profile.executors).map(executorEndSeconds)) + profile.drainSeconds;
const SUBMIT = 'dcc.v1.ServiceRequestsService/Submit';

const submitToI99 = new Trend('submit_to_i99', true);
const submitToI0 = new Trend('submit_to_i0', true);
const errors = new Rate('errors');

/** k6 arrival rates are integers per time unit: per minute keeps fractional rates of the model. */
function k6Executor(e: Executor): K6Scenario {
  const vus = { preAllocatedVUs: 20, maxVUs: 500, timeUnit: '1m', exec: 'iteration' };
  if (e.kind === 'constant-arrival-rate') {
    return {
      executor: 'constant-arrival-rate',
      rate: Math.round(e.ratePerSecond * 60),
      duration: `${e.durationSeconds}s`,
      startTime: `${e.startSeconds}s`,
      ...vus,
    };
  }
  return {
    executor: 'ramping-arrival-rate',
    startRate: Math.round(e.startRatePerSecond * 60),
    stages: e.stages.map((s) => ({
      duration: `${s.durationSeconds}s`,
      target: Math.round(s.targetPerSecond * 60),
    })),
    startTime: `${e.startSeconds}s`,
    ...vus,
  };
}

const scenarios: Record<string, K6Scenario> = {};
for (const [name, e] of Object.entries(profile.executors)) scenarios[name] = k6Executor(e);
// One long iteration per User reads its response stream for the whole run.
for (const [role, userId] of Object.entries(USERS)) {
  scenarios[`responses-${role}`] = {
    executor: 'per-vu-iterations',
    vus: 1,
    iterations: 1,
    maxDuration: `${RUN_SECONDS + 10}s`,
    exec: 'responses',
    env: { RESPONSES_USER: userId },
  };
}

export const options: Options = {
  scenarios,
  thresholds: k6Thresholds(
    profile.thresholds,
    SCENARIOS.map((s) => s.name),
  ),
};

/** One arrival of the scenario this VU runs: the request built by the model, submitted, I99 timed. */
export async function iteration(): Promise<void> {
  const name = exec.scenario.name as ScenarioName;
  const scenario = scenarioNamed(name);
  const n = exec.scenario.iterationInTest;
  const it: Iteration = {
    scenario,
    device: meterId(meterIndex(n, ESTATE_SIZE, scenario.index * 1_000_003)),
    intendedStartMs: Date.now(),
    iteration: n,
  };
  const tags = { scenario: name };
  const client = clientFor(scenario.user);
  let response: grpc.Response;
  if (scenario.critical) {
    response = await signedTariffUpdate(client, it);
  } else {
    const request: WireRequest =
      name === 'on-demand-reads'
        ? readRegisters(it)
        : name === 'top-ups'
          ? topUpFromFile(it)
          : name === 'schedules'
            ? createSchedule(it)
            : readYesterdaysProfile(it);
    response = client.invoke(SUBMIT, { request });
  }
  const acknowledged = response.status === grpc.StatusOK;
  errors.add(!acknowledged, tags);
  if (acknowledged) submitToI99.add(Date.now() - it.intendedStartMs, tags);
}

function topUpFromFile(it: Iteration): WireRequest {
  const issued = utrnFor(it.iteration);
  return topUp({ ...it, device: issued.device }, issued.utrn);
}

/** Reads one User's Responses stream; each I0 gives submit → I0 from the intended start in its RequestID. */
export function responses(): void {
  const userId = __ENV.RESPONSES_USER!;
  const client = clientFor(userId);
  const stream = new grpc.Stream(client, 'dcc.v1.ServiceRequestsService/Responses');
  stream.on('data', (message) => {
    const response = (message as { response?: { requestId: string; responseCode: string } }).response;
    const facts = response && counterFacts(response.requestId);
    const scenario = facts && scenarioByIndex(facts.scenarioIndex);
    if (!response || !facts || !scenario) return;
    const tags = { scenario: scenario.name };
    if (response.responseCode === 'I0') submitToI0.add(Date.now() - facts.intendedStartMs, tags);
    else errors.add(true, tags);
  });
  stream.on('error', () => undefined);
  stream.write({ userId });
  setTimeout(() => client.close(), RUN_SECONDS * 1000);
}
