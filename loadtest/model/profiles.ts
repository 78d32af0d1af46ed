import { hourlyRate } from './day-shapes.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';
import { trafficDay, type ScenarioName } from './traffic-day.ts';

/** An open-model arrival schedule: iterations start on time whether or not earlier ones finished. */
export type Executor =
  | { kind: 'constant-arrival-rate'; startSeconds: number; ratePerSecond: number; durationSeconds: number }
  | {
      kind: 'ramping-arrival-rate';
      startSeconds: number;
      startRatePerSecond: number;
      /** Linear ramps to each target; a zero-second stage is a step. */
      stages: { durationSeconds: number; targetPerSecond: number }[];
    };

export interface Profile {
  name: string;
  /** Meters the scenarios spread over (and that the estate loaded into registration holds). */
  estateSize: number;
  executors: Partial<Record<ScenarioName, Executor>>;
  thresholds: Thresholds;
  /** How long after the last arrival the run waits for outstanding I0s. */
  drainSeconds: number;
  /** Full-day profiles: seconds of run time per hour of the day. */
  secondsPerHour?: number;
}

const constant = (ratePerSecond: number, durationSeconds: number, startSeconds = 0): Executor => ({
  kind: 'constant-arrival-rate',
  startSeconds,
  ratePerSecond,
  durationSeconds,
});

/**
 * Tens of seconds at small rates over a small estate: every scenario at once, the nightly collection ramping up.
 * What CI runs on every submission.
 */
export function smokeProfile(estateSize = 2_000, seconds = 20): Profile {
  return {
    name: 'smoke',
    estateSize,
    executors: {
      'on-demand-reads': constant(8, seconds),
      'on-demand-profile': constant(3, seconds),
      'top-ups': constant(2, seconds),
      'critical-commands': constant(1, seconds),
      schedules: constant(1, seconds),
      'nightly-collection': {
        kind: 'ramping-arrival-rate',
        startSeconds: 0,
        startRatePerSecond: 0,
        stages: [
          { durationSeconds: Math.min(5, seconds / 4), targetPerSecond: 10 },
          { durationSeconds: seconds - Math.min(5, seconds / 4), targetPerSecond: 10 },
        ],
      },
    },
    thresholds: DEFAULT_THRESHOLDS,
    drainSeconds: 15,
  };
}

/**
 * The traffic day of an `estateSize`-meter estate compressed into `daySeconds`: each hour's rate of each
 * scenario (traffic-day.ts, day-shapes.ts) times 86,400 / daySeconds, as steps. A 5,000-meter day in 300 s has the
 * arrival rates of a 30 M estate divided by 20: (30 M / 5,000) / (86,400 / 300) = 20.84.
 */
export function fullDayProfile(estateSize = 5_000, daySeconds = 300): Profile {
  const day = trafficDay(estateSize);
  const compression = 86_400 / daySeconds;
  const secondsPerHour = daySeconds / 24;
  const executors: Profile['executors'] = {};
  for (const [name, perDay] of Object.entries(day.perDay) as [ScenarioName, number][]) {
    const stages = Array.from(
      { length: 24 },
      (_, hour) => hourlyRate(name, perDay, hour) * compression,
    ).flatMap((rate) => [
      { durationSeconds: 0, targetPerSecond: rate },
      { durationSeconds: secondsPerHour, targetPerSecond: rate },
    ]);
    executors[name] = { kind: 'ramping-arrival-rate', startSeconds: 0, startRatePerSecond: 0, stages };
  }
  return {
    name: 'full-day',
    estateSize,
    executors,
    thresholds: DEFAULT_THRESHOLDS,
    drainSeconds: 30,
    secondsPerHour,
  };
}

/** Seconds from the profile's start to an executor's last arrival. */
export function executorEndSeconds(e: Executor): number {
  return e.kind === 'constant-arrival-rate'
    ? e.startSeconds + e.durationSeconds
    : e.startSeconds + e.stages.reduce((a, s) => a + s.durationSeconds, 0);
}

/**
 * Intended start offsets (seconds from the executor's start) of every iteration, in order: the n-th iteration
 * starts when the integral of the rate reaches n (k6's arrival-rate executors schedule the same way).
 */
export function* arrivals(e: Executor): Generator<number, void, undefined> {
  if (e.kind === 'constant-arrival-rate') {
    if (e.ratePerSecond <= 0) return;
    const count = Math.floor(e.ratePerSecond * e.durationSeconds + 1e-9);
    for (let n = 0; n < count; n++) yield e.startSeconds + n / e.ratePerSecond;
    return;
  }
  let t = e.startSeconds;
  let rate = e.startRatePerSecond;
  let area = 0; // iterations due so far
  let next = 0; // the next iteration starts when area reaches next
  for (const stage of e.stages) {
    const d = stage.durationSeconds;
    const r0 = rate;
    const r1 = stage.targetPerSecond;
    if (d > 0) {
      const stageArea = ((r0 + r1) / 2) * d;
      // An iteration due exactly at the stage's end belongs to it; none is due in a stage with no arrivals.
      while (next < area + stageArea - 1e-9 || (stageArea > 0 && next <= area + stageArea + 1e-9)) {
        yield t + timeInRamp(next - area, r0, r1, d);
        next++;
      }
      area += stageArea;
      t += d;
    }
    rate = r1;
  }
}

/** Time into a linear ramp r0 → r1 over d seconds at which the rate's integral reaches `a`. */
function timeInRamp(a: number, r0: number, r1: number, d: number): number {
  const slope = (r1 - r0) / d;
  if (Math.abs(slope) < 1e-12) return r0 > 0 ? a / r0 : 0;
  // r0 t + slope t²/2 = a
  const disc = r0 * r0 + 2 * slope * a;
  return Math.min(d, Math.max(0, (-r0 + Math.sqrt(Math.max(0, disc))) / slope));
}
