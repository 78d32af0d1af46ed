import { describe, expect, it } from 'vitest';
import { firstViolation } from './body-rules.js';
import { srvEntry } from './srv-support.js';

// DCC's ECS29b sample: RMS settings and three phases.
const phase = (n: number, change: Record<string, unknown> = {}) => ({
  phase: n,
  averageOverV: 264,
  averageUnderV: 200,
  averagePeriodS: 30,
  ...change,
});
const SAMPLE = { extremeOverV: 287, sagV: 216, polyPhaseVoltageSettings: [phase(1), phase(2), phase(3)] };
const check = (fields: Record<string, unknown>) => firstViolation(srvEntry('6.5')!.rules, fields);

describe('6.5 body: PolyPhaseVoltageSettings refused before I99 when malformed', () => {
  it('takes the sample and phases alone', () => {
    expect(check(SAMPLE)).toBeUndefined();
    expect(check({ polyPhaseVoltageSettings: [phase(2)] })).toBeUndefined();
  });

  it.each([
    [{ polyPhaseVoltageSettings: [phase(1), phase(1)] }, /phase 1 is given twice/],
    [{ polyPhaseVoltageSettings: [phase(4)] }, /phase must be 1, 2 or 3/],
    [{ polyPhaseVoltageSettings: [phase(1), phase(2), phase(3), phase(1)] }, /at most 3 phases/],
    [{ polyPhaseVoltageSettings: [phase(1, { averageOverV: 501 })] }, /averageOverV must be a number from 0/],
    [
      { polyPhaseVoltageSettings: [phase(1, { averagePeriodS: 0 })] },
      /averagePeriodS must be a whole number/,
    ],
    [
      { polyPhaseVoltageSettings: [phase(1)], averageOverV: 250 },
      /either polyPhaseVoltageSettings or the single-phase averageOverV/,
    ],
    [{ polyPhaseVoltageSettings: [] }, /give at least one of/],
  ])('refuses %j', (fields, why) => {
    expect(check(fields)).toMatch(why);
  });
});
