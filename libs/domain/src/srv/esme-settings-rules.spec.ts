import { describe, expect, it } from 'vitest';
import { firstViolation } from './body-rules.js';
import { loadLimitRules } from './load-limit-rules.js';
import { supplyTamperRules } from './supply-tamper-rules.js';

// DCC's ECS28a sample: LoadLimitPeriod 300, LoadLimitPowerThreshold 6900, LoadLimitRestorationPeriod 30, Disable.
const SAMPLE = {
  thresholdW: 6_900,
  loadLimitPeriodS: 300,
  loadLimitRestorationPeriodS: 30,
  loadLimitSupplyState: 2,
};
const check = (change: Record<string, unknown>) => firstViolation(loadLimitRules, { ...SAMPLE, ...change });

describe('6.4.1 body: refused before I99 when the settings are out of range', () => {
  it('takes the sample, a bare threshold, and nothing at all (load limiting off)', () => {
    expect(check({})).toBeUndefined();
    expect(firstViolation(loadLimitRules, { thresholdW: 1 })).toBeUndefined();
    expect(firstViolation(loadLimitRules, {})).toBeUndefined();
  });

  it.each([
    [{ thresholdW: 0 }, /thresholdW must be a whole number from 1/],
    [{ loadLimitPeriodS: 0 }, /loadLimitPeriodS must be a whole number from 1 to 86400/],
    [{ loadLimitPeriodS: 86_401 }, /loadLimitPeriodS/],
    [{ loadLimitRestorationPeriodS: 2.5 }, /loadLimitRestorationPeriodS/],
    [{ loadLimitSupplyState: 0 }, /loadLimitSupplyState must be unchanged or disable/],
    [{ loadLimitSupplyState: 3 }, /loadLimitSupplyState must be unchanged or disable/],
  ])('refuses %j', (change, why) => {
    expect(check(change)).toMatch(why);
  });
});

describe('6.25 body: SupplyTamperState is required and one of DUIS values', () => {
  it.each([
    [{ supplyTamperState: 1 }, undefined],
    [{ supplyTamperState: 2 }, undefined],
    [{ supplyTamperState: 0 }, /supplyTamperState must be unchanged or locked/],
    [{}, /supplyTamperState must be unchanged or locked/],
  ])('%j', (fields, why) => {
    const problem = firstViolation(supplyTamperRules, fields);
    if (why === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(why);
  });
});
