import { describe, expect, it } from 'vitest';
import { firstViolation } from './body-rules.js';
import { srvEntry } from './srv-support.js';

// DCC's ECS70 sample: CurrentDateTime 2014-12-31T23:59:10Z, TolerancePeriod 60 (seconds).
const SAMPLE = { dateTimeMs: Date.parse('2014-12-31T23:59:10Z'), tolerancePeriodS: 60 };

describe.each(['6.11', '8.1.1'] as const)(
  '%s body: the TolerancePeriod is mandatory, whole seconds',
  (srv) => {
    const check = (change: Record<string, unknown>) =>
      firstViolation(srvEntry(srv)!.rules, { ...SAMPLE, ...change });

    it('takes the sample and the widest tolerance', () => {
      expect(check({})).toBeUndefined();
      expect(check({ tolerancePeriodS: 0xffff_ffff })).toBeUndefined();
    });

    it.each([
      [{ tolerancePeriodS: 0 }, /tolerancePeriodS must be a whole number from 1/],
      [{ tolerancePeriodS: undefined }, /tolerancePeriodS is missing/],
      [{ tolerancePeriodS: 1.5 }, /tolerancePeriodS/],
      [{ dateTimeMs: -1 }, /dateTimeMs/],
    ])('refuses %j before I99', (change, why) => {
      expect(check(change)).toMatch(why);
    });
  },
);
