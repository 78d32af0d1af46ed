import { describe, expect, it } from 'vitest';
import {
  AnomalyDetector,
  anomalyThresholdsSchema,
  anomalyThresholdsSetting,
  isBreach,
  type Breach,
  type Counted,
} from './anomaly-detector.js';

const A = '90-B3-D5-1F-30-01-00-00';
const B = '90-B3-D5-1F-30-02-00-00';
const T0 = 1_800_000_000_000; // ms, on a second boundary

const detector = (json: unknown) => new AnomalyDetector(anomalyThresholdsSchema.parse(json));
const passes = (outcome: Counted | Breach) => !isBreach(outcome);

describe('AnomalyDetector', () => {
  it('per User and SRV: the request that would exceed the limit inside the window is a breach', () => {
    const d = detector({ perUser: { '4.1.1': 3 }, systemWide: {} });
    for (let i = 0; i < 3; i++) expect(passes(d.check(A, '4.1.1', T0 + i * 100))).toBe(true);
    const fourth = d.check(A, '4.1.1', T0 + 500);
    expect(isBreach(fourth) && fourth).toMatchObject({
      scope: 'user',
      srv: '4.1.1',
      limit: 3,
      windowSeconds: 60,
    });
    // Another User, another SRV, and an SRV without a threshold are not affected.
    expect(passes(d.check(B, '4.1.1', T0))).toBe(true);
    expect(passes(d.check(A, '4.1.2', T0))).toBe(true);
  });

  it('the window slides: counts from more than windowSeconds ago no longer count', () => {
    const d = detector({ windowSeconds: 10, perUser: { '*': 2 }, systemWide: {} });
    expect(passes(d.check(A, '4.1.1', T0))).toBe(true);
    expect(passes(d.check(A, '4.1.1', T0 + 5_000))).toBe(true);
    expect(isBreach(d.check(A, '4.1.1', T0 + 9_999))).toBe(true);
    expect(passes(d.check(A, '4.1.1', T0 + 10_000))).toBe(true); // the first left the window
    expect(isBreach(d.check(A, '4.1.1', T0 + 14_999))).toBe(true);
  });

  it('"*" applies to each SRV separately; an SRV entry and a User’s own thresholds take precedence', () => {
    const d = detector({
      perUser: { '*': 2, '7.4': 1 },
      users: { [B]: { '*': 5 } },
      systemWide: {},
    });
    expect(d.thresholdFor(A, '4.1.1')).toEqual({ limit: 2, windowSeconds: 60 });
    expect(d.thresholdFor(A, '7.4')).toEqual({ limit: 1, windowSeconds: 60 });
    expect(d.thresholdFor(B, '7.4')).toEqual({ limit: 5, windowSeconds: 60 });
    d.check(A, '4.1.1', T0);
    d.check(A, '4.1.1', T0);
    expect(passes(d.check(A, '4.1.2', T0))).toBe(true);
  });

  it('system-wide: counts every User together for the SRV', () => {
    const d = detector({ perUser: {}, systemWide: { '7.2': { limit: 3, windowSeconds: 3_600 } } });
    expect(passes(d.check(A, '7.2', T0))).toBe(true);
    expect(passes(d.check(B, '7.2', T0 + 1_000))).toBe(true);
    expect(passes(d.check(A, '7.2', T0 + 2_000))).toBe(true);
    const breach = d.check(B, '7.2', T0 + 3_000);
    expect(isBreach(breach) && breach).toMatchObject({ scope: 'system', srv: '7.2', limit: 3 });
    expect(passes(d.check(B, '7.4', T0 + 3_000))).toBe(true);
    expect(passes(d.check(B, '7.2', T0 + 3_600_000))).toBe(true); // an hour later the first left
  });

  it('a breach counts nothing, and undo takes a count back', () => {
    const d = detector({ perUser: { '*': 1 }, systemWide: { '4.1.1': 10 } });
    const first = d.check(A, '4.1.1', T0);
    expect(isBreach(d.check(A, '4.1.1', T0))).toBe(true);
    expect(isBreach(d.check(A, '4.1.1', T0))).toBe(true);
    (first as Counted).undo();
    expect(passes(d.check(A, '4.1.1', T0))).toBe(true);
    // The system-wide count saw only the two that passed, one of them undone.
    for (let i = 0; i < 9; i++) expect(passes(d.check(`90-B3-D5-1F-30-09-00-0${i}`, '4.1.1', T0))).toBe(true);
    expect(isBreach(d.check(B, '4.1.1', T0))).toBe(true);
  });

  it('a per-User breach is reported before the system-wide one, and a limit of 0 holds everything', () => {
    const d = detector({ perUser: { '7.2': 0 }, systemWide: { '7.2': 0 } });
    const outcome = d.check(A, '7.2', T0);
    expect(isBreach(outcome) && outcome.scope).toBe('user');
  });

  it('memory stays bounded: idle counters are swept', () => {
    const d = detector({ windowSeconds: 1, perUser: { '*': 10 }, systemWide: {} });
    const user = (i: number) =>
      `90-B3-D5-1F-${((i >> 16) & 255).toString(16).padStart(2, '0')}-${((i >> 8) & 255).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}-00`.toUpperCase();
    // 50,000 distinct Users, each active in its own second: only recently active ones are kept.
    for (let i = 0; i < 50_000; i++) d.check(user(i), '4.1.1', T0 + i * 1_000);
    expect(d.counters).toBeLessThan(2 * 4_096 + 1);
    d.sweep(T0 + 100_000_000);
    expect(d.counters).toBe(0);
  });
});

describe('ANOMALY_THRESHOLDS setting', () => {
  it('unset: the defaults (generous per User, a system-wide limit on 7.2 Disable Supply)', () => {
    const parsed = anomalyThresholdsSetting.parse(undefined);
    expect(parsed.windowSeconds).toBe(60);
    expect(parsed.perUser['*']).toBe(1_000_000);
    expect(parsed.systemWide['7.2']).toEqual({ limit: 5_000, windowSeconds: 3_600 });
  });

  it('a key left out keeps its default; {} switches it off', () => {
    const parsed = anomalyThresholdsSetting.parse('{"perUser":{"4.1.1":5},"systemWide":{}}');
    expect(parsed.perUser).toEqual({ '4.1.1': 5 });
    expect(parsed.systemWide).toEqual({});
    expect(parsed.users).toEqual({});
  });

  it.each([
    ['not JSON', '{perUser'],
    ['an unknown SRV', '{"perUser":{"99.9":5}}'],
    ['a negative limit', '{"perUser":{"*":-1}}'],
    ['a window over an hour', '{"perUser":{"*":{"limit":1,"windowSeconds":86400}}}'],
    ['"*" system-wide', '{"systemWide":{"*":5}}'],
    ['a User that is not an EUI-64', '{"users":{"someone":{"*":5}}}'],
    ['an unknown key', '{"perUsers":{}}'],
  ])('refuses %s', (_what, json) => {
    expect(anomalyThresholdsSetting.safeParse(json).success).toBe(false);
  });
});
