import { describe, expect, it } from 'vitest';
import { firstViolation } from './body-rules.js';
import { checkRequestBody } from './srv-support.js';
import { flowRateTenThousandths, gasConversionRules, gasFlowRules } from './gas-body-rules.js';

const conversion = (fields: Record<string, unknown>) => firstViolation(gasConversionRules, fields);

const FLOW = {
  uncontrolledGasFlowRate: { $case: 'uncontrolledGasFlowRateTenThousandthsM3PerH', value: 61_680 },
  supplyDepletionState: 1,
  supplyTamperState: 2,
  stabilisationPeriodS: 60,
  measurementPeriodS: 300,
};
const flow = (change: Record<string, unknown>) => firstViolation(gasFlowRules, { ...FLOW, ...change });

describe('6.6 and 6.7 bodies: refused before I99 when DUIS would not carry them', () => {
  it('6.6 takes DCC sample values, either alone', () => {
    expect(conversion({ calorificValue: '40.0', conversionFactor: '1.02264' })).toBeUndefined();
    expect(conversion({ conversionFactor: '1.02264' })).toBeUndefined();
  });

  it.each([
    [{}, /at least one of calorificValue, conversionFactor/],
    [{ calorificValue: '0' }, /calorificValue holds "0"/],
    [{ calorificValue: '40.0001' }, /at most 3 fractional digits/],
    [{ calorificValue: '100.5' }, /at most 100/],
    [{ calorificValue: '-40' }, /calorificValue/],
    [{ conversionFactor: '1.022641' }, /conversionFactor holds/],
    [{ conversionFactor: '11' }, /at most 10/],
  ])('6.6 refuses %j', (fields, why) => {
    expect(conversion(fields)).toMatch(why);
  });

  it('6.7 takes both of DUIS spellings of the rate', () => {
    expect(flow({})).toBeUndefined();
    const decimal = { $case: 'uncontrolledGasFlowRateDecimalM3PerH', value: '6.1680' };
    expect(flow({ uncontrolledGasFlowRate: decimal })).toBeUndefined();
    expect(flowRateTenThousandths(decimal)).toBe(61_680);
    expect(flowRateTenThousandths({ $case: 'x', value: 61_680 })).toBe(61_680);
    expect(flowRateTenThousandths({ $case: 'uncontrolledGasFlowRateDecimalM3PerH', value: '6' })).toBe(
      60_000,
    );
  });

  it.each([
    [{ uncontrolledGasFlowRate: undefined }, /uncontrolledGasFlowRate is missing/],
    [
      { uncontrolledGasFlowRate: { $case: 'uncontrolledGasFlowRateDecimalM3PerH', value: '6.16801' } },
      /at most 4 fractional digits/,
    ],
    [
      { uncontrolledGasFlowRate: { $case: 'uncontrolledGasFlowRateTenThousandthsM3PerH', value: 1.5 } },
      /whole number of ten-thousandths/,
    ],
    [{ supplyDepletionState: 0 }, /supplyDepletionState must be unchanged or locked or unlocked/],
    [{ supplyTamperState: 4 }, /supplyTamperState must be/],
    [{ stabilisationPeriodS: 256 }, /stabilisationPeriodS must be a whole number from 0 to 255/],
    [{ measurementPeriodS: 0 }, /measurementPeriodS must be a whole number from 1 to 4095/],
  ])('6.7 refuses %j', (change, why) => {
    expect(flow(change)).toMatch(why);
  });

  it("4.17 (a gas meter read, GCS61) takes the requester's KA credentials as printable text of at most 4096", () => {
    const period = { startMs: Date.UTC(2014, 11, 10), endMs: Date.UTC(2014, 11, 20) };
    const body = (kaPublicSecurityCredentials: string) => ({
      $case: 'retrieveDailyConsumptionLog',
      value: { period, kaPublicSecurityCredentials },
    });
    expect(() => checkRequestBody('4.17', body(''))).not.toThrow();
    expect(() => checkRequestBody('4.17', body('MIIBkzCCATig'))).not.toThrow();
    expect(() => checkRequestBody('4.17', body('has space'))).toThrow(/kaPublicSecurityCredentials/);
    expect(() => checkRequestBody('4.17', body('A'.repeat(4097)))).toThrow(/longer than 4096/);
  });
});
