import { describe, expect, it } from 'vitest';
import { arrivals, executorEndSeconds, fullDayProfile, smokeProfile, type Executor } from './profiles.ts';
import { trafficDay } from './traffic-day.ts';

const all = (e: Executor) => [...arrivals(e)];

describe('arrival schedules', () => {
  it('constant rate: evenly spaced, rate × duration iterations', () => {
    const times = all({
      kind: 'constant-arrival-rate',
      startSeconds: 2,
      ratePerSecond: 4,
      durationSeconds: 3,
    });
    expect(times).toHaveLength(12);
    expect(times.slice(0, 3)).toEqual([2, 2.25, 2.5]);
  });

  it('ramping rate: the integral of the rate, linear ramps and steps', () => {
    const ramp = all({
      kind: 'ramping-arrival-rate',
      startSeconds: 0,
      startRatePerSecond: 0,
      stages: [
        { durationSeconds: 10, targetPerSecond: 10 }, // 50 iterations, denser towards the end
        { durationSeconds: 0, targetPerSecond: 2 },
        { durationSeconds: 5, targetPerSecond: 2 }, // 10 more
      ],
    });
    expect(ramp.length).toBeGreaterThanOrEqual(60);
    expect(ramp.length).toBeLessThanOrEqual(61);
    expect(ramp.filter((t) => t < 5).length).toBeCloseTo(12.5, -1);
    expect(ramp.every((t, i) => i === 0 || t >= ramp[i - 1]!)).toBe(true);
    expect(ramp.at(-1)!).toBeLessThanOrEqual(15);
  });
});

describe('profiles', () => {
  it('smoke: tens of seconds, every scenario', () => {
    const p = smokeProfile();
    expect(Object.keys(p.executors)).toHaveLength(6);
    for (const e of Object.values(p.executors)) expect(executorEndSeconds(e)).toBe(20);
  });

  it('full day: a compressed day carries each scenario’s daily count for its estate', () => {
    const p = fullDayProfile(5_000, 240);
    const day = trafficDay(5_000);
    expect(p.secondsPerHour).toBe(10);
    for (const [name, e] of Object.entries(p.executors)) {
      expect(executorEndSeconds(e)).toBeCloseTo(240, 6);
      const count = all(e).length;
      expect(Math.abs(count - day.perDay[name as keyof typeof day.perDay])).toBeLessThanOrEqual(2);
    }
    // The nightly collection: 5,000 meters in four compressed hours (40 s), 125 a second.
    const nightly = all(p.executors['nightly-collection']!);
    expect(nightly[0]).toBeGreaterThanOrEqual(10);
    expect(nightly.at(-1)!).toBeLessThanOrEqual(50);
  });
});
