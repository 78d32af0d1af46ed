import { join } from 'node:path';
import {
  counterFacts,
  executorEndSeconds,
  judge,
  scenario as scenarioNamed,
  SCENARIOS,
  USERS,
  type Profile,
  type ScenarioName,
  type Verdict,
} from '../model/index.ts';
import { UserChannel } from './hub-calls.ts';
import { OPERATOR_ID, startHubStack } from './hub-stack.ts';
import { iterationOf, runIteration } from './iterations.ts';
import { LatencyTimeline } from './latency.ts';
import { loadEstate } from './load-estate.ts';
import { runArrivals } from './open-model.ts';
import { readResponses, type ReceivedResponse } from './response-reader.ts';
import { ScenarioTally } from './tally.ts';
import { UtrnIssuer } from './utrn-issuer.ts';

export interface RunResult {
  profile: string;
  startedAt: string;
  estateSize: number;
  runSeconds: number;
  estateLoadSeconds: number;
  secondsPerHour?: number;
  scenarios: ScenarioResult[];
  timeline: { seconds: number; count: number; p50: number; p99: number }[];
  /** The nightly collection: from its first intended start to its last I0. */
  nightlyCollection?: { requests: number; completed: number; seconds: number; windowSeconds: number };
  servicesCrashed: string[];
  passed: boolean;
}

export interface ScenarioResult {
  name: ScenarioName;
  srv: string;
  title: string;
  intendedRatePerSecond: number;
  achievedRatePerSecond: number;
  attempted: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  i99: ReturnType<ScenarioTally['i99']['summary']>;
  i0: ReturnType<ScenarioTally['i0']['summary']>;
  sendLagP99Ms: number;
  verdicts: Verdict[];
}

/**
 * Runs a profile against the hub as separate processes: start the stack, register the estate, open each User's
 * response stream, fire every scenario's arrivals open-model, wait for the outstanding I0s, judge thresholds.
 */
export async function runProfile(profile: Profile, workDir: string): Promise<RunResult> {
  const stack = await startHubStack(join(workDir, 'hub'), profile.estateSize);
  const startedAt = new Date().toISOString();
  try {
    const loadStart = Date.now();
    await loadEstate(stack.registrationAddress, stack.credentialsOf(OPERATOR_ID), profile.estateSize);
    const estateLoadSeconds = (Date.now() - loadStart) / 1000;

    const entries = Object.entries(profile.executors) as [
      ScenarioName,
      NonNullable<Profile['executors'][ScenarioName]>,
    ][];
    const tallies = new Map(entries.map(([name]) => [name, new ScenarioTally(name)]));
    const pending = new Map<string, ScenarioName>();
    const runSeconds = Math.max(...entries.map(([, e]) => executorEndSeconds(e)));
    const startMs = Date.now() + 500;
    const timeline = new LatencyTimeline(startMs, Math.max(1, Math.round(runSeconds / 60)));

    const onResponse = (r: ReceivedResponse) => {
      const name = pending.get(r.requestId);
      const facts = counterFacts(r.requestId);
      if (!name || !facts) return; // not this run's, or already answered
      pending.delete(r.requestId);
      const tally = tallies.get(name)!;
      if (r.responseCode === 'I0') {
        const latency = r.receivedAtMs - facts.intendedStartMs;
        tally.completed++;
        tally.i0.record(latency);
        tally.lastI0Ms = Math.max(tally.lastI0Ms, r.receivedAtMs);
        timeline.record(r.receivedAtMs, latency);
      } else {
        tally.fail(`response ${r.responseCode || `status ${r.statusCode}`}: ${r.detail.slice(0, 80)}`);
      }
    };
    const readers = Object.values(USERS).map((u) =>
      readResponses(stack.address, stack.credentialsOf(u), u, onResponse),
    );
    const channels = new Map(
      Object.values(USERS).map((u) => [u, new UserChannel(stack.address, stack.credentialsOf(u))]),
    );
    const context = {
      estateSize: profile.estateSize,
      pki: stack.pki,
      utrns: new UtrnIssuer(stack.pki),
      channels,
      expect: (requestId: string) => {
        const facts = counterFacts(requestId);
        const s = facts && SCENARIOS.find((x) => x.index === facts.scenarioIndex);
        if (s) pending.set(requestId, s.name);
      },
    };
    const inFlight = new Set<Promise<void>>();
    await runArrivals(
      entries.map(([, e]) => e),
      startMs,
      ({ stream, iteration, intendedStartMs }) => {
        const name = entries[stream]![0];
        const tally = tallies.get(name)!;
        const scenario = scenarioNamed(name);
        tally.attempted++;
        tally.firstIntendedMs = Math.min(tally.firstIntendedMs, intendedStartMs);
        tally.sendLag.record(Math.max(0, Date.now() - intendedStartMs));
        const it = iterationOf(scenario, iteration, intendedStartMs, profile.estateSize);
        const done = runIteration(it, context).then(
          (submitted) => {
            if (submitted.kind === 'acknowledged') tally.i99.record(Date.now() - intendedStartMs);
            else {
              pending.delete(submitted.requestId);
              tally.fail(submitted.reason);
            }
          },
          (error: Error) => tally.fail(`runner: ${error.message}`),
        );
        inFlight.add(done);
        void done.finally(() => inFlight.delete(done));
      },
    );
    await Promise.all(inFlight);
    const drainUntil = Date.now() + profile.drainSeconds * 1000;
    while (pending.size > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 100));
    // Whatever was acknowledged and never answered counts as failed.
    for (const name of pending.values()) tallies.get(name)!.fail('no response within the drain time');
    readers.forEach((r) => r.close());
    channels.forEach((c) => c.close());

    const scenarios = entries.map(([name, e]) => summarise(tallies.get(name)!, e, profile));
    const nightly = tallies.get('nightly-collection');
    const servicesCrashed = stack.crashed();
    return {
      profile: profile.name,
      startedAt,
      estateSize: profile.estateSize,
      runSeconds,
      estateLoadSeconds,
      secondsPerHour: profile.secondsPerHour,
      scenarios,
      timeline: timeline.points(),
      nightlyCollection: nightly && {
        requests: nightly.attempted,
        completed: nightly.completed,
        seconds: nightly.lastI0Ms > 0 ? (nightly.lastI0Ms - nightly.firstIntendedMs) / 1000 : 0,
        windowSeconds: windowSeconds(profile.executors['nightly-collection']!),
      },
      servicesCrashed,
      passed: servicesCrashed.length === 0 && scenarios.every((s) => s.verdicts.every((v) => v.passed)),
    };
  } finally {
    await stack.stop();
  }
}

/** Seconds during which an executor has a non-zero rate. */
function windowSeconds(e: NonNullable<Profile['executors'][ScenarioName]>): number {
  if (e.kind === 'constant-arrival-rate') return e.durationSeconds;
  return e.stages.filter((s) => s.targetPerSecond > 0).reduce((a, s) => a + s.durationSeconds, 0);
}

function summarise(
  tally: ScenarioTally,
  executor: NonNullable<Profile['executors'][ScenarioName]>,
  profile: Profile,
): ScenarioResult {
  const scenario = scenarioNamed(tally.name);
  const active = Math.max(1e-9, windowSeconds(executor));
  const i99 = tally.i99.summary();
  const i0 = tally.i0.summary();
  return {
    name: tally.name,
    srv: scenario.srv,
    title: scenario.title,
    intendedRatePerSecond: tally.attempted / active,
    achievedRatePerSecond: tally.completed / active,
    attempted: tally.attempted,
    completed: tally.completed,
    failed: tally.failed,
    failures: Object.fromEntries(tally.failures),
    i99,
    i0,
    sendLagP99Ms: tally.sendLag.at(99),
    verdicts: judge(profile.thresholds, {
      attempted: tally.attempted,
      failed: tally.failed,
      i99: { p95: i99.p95, p99: i99.p99, count: i99.count },
      i0: { p95: i0.p95, p99: i0.p99, count: i0.count },
    }),
  };
}
