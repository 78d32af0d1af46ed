import { describe, expect, it } from 'vitest';
import { lastEndBefore, parseWindows, spanAt } from './collection-windows.js';
import { paceLane, type LaneCredit } from './pace.js';
import { laneOf, parseLaneRates, UNROUTED } from './plan-lanes.js';

const DAY = Date.UTC(2026, 11, 1);
const at = (hh: number, mm = 0) => DAY + (hh * 60 + mm) * 60_000;

describe('collection windows', () => {
  it('parses windows, one crossing midnight, and finds the occurrence a time falls in', () => {
    const windows = parseWindows('01:00-06:00, 23:00-00:30');
    expect(spanAt(windows, at(0, 10))).toEqual({ startMs: at(23) - 86_400_000, endMs: at(0, 30) });
    expect(spanAt(windows, at(1))).toEqual({ startMs: at(1), endMs: at(6) });
    expect(spanAt(windows, at(6))).toBeUndefined();
    expect(lastEndBefore(windows, at(12))).toBe(at(6));
    expect(lastEndBefore(windows, at(0, 45))).toBe(at(0, 30));
  });

  it('refuses malformed, empty and overlapping windows, naming the setting', () => {
    expect(() => parseWindows('1:00-06:00')).toThrow(/SCHEDULING_WINDOWS/);
    expect(() => parseWindows('01:00-01:00')).toThrow(/empty/);
    expect(() => parseWindows('01:00-06:00,05:00-07:00')).toThrow(/overlap/);
    expect(parseWindows('')).toEqual([]);
  });
});

describe('lanes and their rates', () => {
  it('takes named rates over the default and refuses unknown lanes', () => {
    const rates = parseLaneRates('s2-NORTH:40, s1-IOC:2.5', 10);
    expect([rates.rateOf('s2-NORTH'), rates.rateOf('s1-IOC'), rates.rateOf('s2-SOUTH')]).toEqual([
      40, 2.5, 10,
    ]);
    expect(() => parseLaneRates('s2-EAST:4', 10)).toThrow(/SCHEDULING_LANE_RATES/);
    expect(() => parseLaneRates('s2-NORTH:0', 10)).toThrow(/SCHEDULING_LANE_RATES/);
  });

  it('places a device by its generation and region or cohort; anything else is unrouted', () => {
    expect(laneOf({ generation: 3, cspRegion: 1, smets1Cohort: 0 })).toBe('s2-NORTH');
    expect(laneOf({ generation: 2, cspRegion: 0, smets1Cohort: 3 })).toBe('s1-FOC');
    expect(laneOf({ generation: 3, cspRegion: 0, smets1Cohort: 0 })).toBe(UNROUTED);
    expect(laneOf({ generation: 0, cspRegion: 1, smets1Cohort: 1 })).toBe(UNROUTED);
  });
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** Releases per whole minute (the first second, which only starts the lane's clock, left out). */
const perMinute = (released: number[]) =>
  Array.from({ length: Math.floor((released.length - 1) / 60) }, (_, m) =>
    sum(released.slice(1 + m * 60, 61 + m * 60)),
  );

/** Paces one lane second by second from `fromMs`, releasing what it says; returns the releases per second. */
function simulate(options: {
  waiting: number;
  capacityPerS: number;
  fromMs: number;
  seconds: number;
  windows: string;
  arrivals?: (second: number) => number;
}): number[] {
  const windows = parseWindows(options.windows);
  let waiting = options.waiting;
  let previous: LaneCredit | undefined;
  const released: number[] = [];
  for (let s = 0; s <= options.seconds; s++) {
    waiting += options.arrivals?.(s) ?? 0;
    const nowMs = options.fromMs + s * 1000;
    const pace = paceLane({
      waiting,
      capacityPerS: options.capacityPerS,
      nowMs,
      window: spanAt(windows, nowMs),
      overdue: waiting > 0 && lastEndBefore(windows, nowMs) > 0,
      previous,
    });
    previous = pace.next;
    waiting -= pace.release;
    released.push(pace.release);
  }
  return released;
}

describe('pacing a lane', () => {
  it('spreads a night due at once evenly over the window, within capacity: no spike', () => {
    // 600 runs, a 10-minute window, capacity 5/s: the plan needs 1/s.
    const released = simulate({
      waiting: 600,
      capacityPerS: 5,
      fromMs: at(1),
      seconds: 600,
      windows: '01:00-01:10',
    });
    expect(sum(released)).toBe(600);
    // At most one second in which a carried fraction makes two; every minute releases about a sixtieth.
    expect(Math.max(...released)).toBeLessThanOrEqual(2);
    for (const minute of perMinute(released)) expect(Math.abs(minute - 60)).toBeLessThanOrEqual(2);
  });

  it('never exceeds capacity; work the window cannot hold is at risk, then caught up after it at capacity', () => {
    const windows = parseWindows('01:00-01:01');
    const first = paceLane({
      waiting: 500,
      capacityPerS: 5,
      nowMs: at(1),
      window: spanAt(windows, at(1)),
      overdue: true,
      previous: undefined,
    });
    expect(first).toMatchObject({ ratePerS: 5, atRisk: 200, release: 0 });
    const released = simulate({
      waiting: 500,
      capacityPerS: 5,
      fromMs: at(1),
      seconds: 120,
      windows: '01:00-01:01',
    });
    expect(Math.max(...released)).toBe(5);
    expect(sum(released.slice(0, 61))).toBe(300);
    expect(sum(released)).toBe(500);
  });

  it('re-spreads over what is left when the window started late or work arrives during it', () => {
    // The service came back at 01:05 in a 10-minute window: 300 runs over the 5 minutes left, 1/s.
    const late = simulate({
      waiting: 300,
      capacityPerS: 5,
      fromMs: at(1, 5),
      seconds: 300,
      windows: '01:00-01:10',
    });
    expect(Math.max(...late)).toBeLessThanOrEqual(2);
    expect(sum(late)).toBe(300);
    for (const minute of perMinute(late)) expect(Math.abs(minute - 60)).toBeLessThanOrEqual(2);
    // 300 more fall due half-way: the rate doubles for the rest.
    const added = simulate({
      waiting: 300,
      capacityPerS: 5,
      fromMs: at(1, 5),
      seconds: 300,
      windows: '01:00-01:10',
      arrivals: (s) => (s === 150 ? 300 : 0),
    });
    expect(sum(added)).toBe(600);
    expect(sum(added.slice(0, 150))).toBeGreaterThanOrEqual(148);
    expect(sum(added.slice(0, 150))).toBeLessThanOrEqual(151);
    // The rest, 450, over the 150 s left: 3/s.
    expect(sum(added.slice(160, 280))).toBeGreaterThanOrEqual(355);
    expect(Math.max(...added)).toBeLessThanOrEqual(4);
  });

  it('outside a window, with nothing overdue, holds its work', () => {
    const pace = paceLane({
      waiting: 10,
      capacityPerS: 5,
      nowMs: at(12),
      window: undefined,
      overdue: false,
      previous: { credit: 0, atMs: at(12) - 1000 },
    });
    expect(pace).toMatchObject({ release: 0, ratePerS: 0, atRisk: 0 });
  });
});
