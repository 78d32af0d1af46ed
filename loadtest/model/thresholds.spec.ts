import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  judge,
  k6Thresholds,
  withOverrides,
  type ScenarioOutcome,
} from './thresholds.ts';

const outcome = (o: Partial<ScenarioOutcome> = {}): ScenarioOutcome => ({
  attempted: 100,
  failed: 0,
  i99: { p95: 10, p99: 20, count: 100 },
  i0: { p95: 50, p99: 80, count: 100 },
  ...o,
});

describe('thresholds', () => {
  it('pass a healthy run and fail on errors or slow percentiles', () => {
    expect(judge(DEFAULT_THRESHOLDS, outcome()).every((v) => v.passed)).toBe(true);
    expect(judge(DEFAULT_THRESHOLDS, outcome({ failed: 2 })).find((v) => !v.passed)?.check).toBe(
      'error rate',
    );
    const slow = outcome({ i0: { p95: 50, p99: 9_000, count: 100 } });
    expect(
      judge(DEFAULT_THRESHOLDS, slow)
        .filter((v) => !v.passed)
        .map((v) => v.check),
    ).toEqual(['submit→I0 p99 ms']);
  });

  it('give no verdict on a scenario none of whose requests ran', () => {
    const none = outcome({
      attempted: 0,
      i99: { p95: 0, p99: 0, count: 0 },
      i0: { p95: 0, p99: 0, count: 0 },
    });
    expect(judge(DEFAULT_THRESHOLDS, none)).toEqual([]);
  });

  it('take overrides (an impossible limit fails every run) and refuse nonsense', () => {
    const impossible = withOverrides(DEFAULT_THRESHOLDS, { i0: { p99Ms: 0 } });
    expect(impossible.i0).toEqual({ p95Ms: DEFAULT_THRESHOLDS.i0.p95Ms, p99Ms: 0 });
    expect(judge(impossible, outcome()).some((v) => !v.passed)).toBe(true);
    expect(() => withOverrides(DEFAULT_THRESHOLDS, { maxErrorRate: 'x' })).toThrow(TypeError);
  });

  it('render as k6 thresholds on the scripts’ metrics', () => {
    expect(k6Thresholds(DEFAULT_THRESHOLDS, ['top-ups'])).toEqual({
      'errors{scenario:top-ups}': ['rate<0.01'],
      'submit_to_i99{scenario:top-ups}': ['p(95)<1000', 'p(99)<2000'],
      'submit_to_i0{scenario:top-ups}': ['p(95)<3000', 'p(99)<5000'],
    });
  });
});
