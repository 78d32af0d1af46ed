import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';

const calendar = (value: Record<string, unknown>) => ({
  $case: 'updateDeviceConfigurationBillingCalendar',
  value,
});
const refusal = (value: Record<string, unknown>) => {
  try {
    checkRequestBody('6.8', calendar(value));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};
const elec = {
  billingTimeS: 43_200,
  periodicity: 3,
  dayOfWeek: 0,
  dayOfMonth: 1,
  billingPeriodStartMonth: 0,
};

describe('6.8 billing calendars and 4.4.3 periods are checked before I99', () => {
  it('takes ECS30, ECS30a, GCS25 and GCS25a', () => {
    for (const value of [
      { electricity: elec },
      { electricity: { ...elec, billingTimeS: 0, periodicity: 4, billingPeriodStartMonth: 1 } },
      { gas: { billingPeriodStartMs: Date.UTC(2015, 1, 1), periodicity: 3 } },
      { gas: { billingPeriodStartMs: Date.UTC(2015, 0, 1), periodicity: 5 } },
    ]) {
      expect(() => checkRequestBody('6.8', calendar(value))).not.toThrow();
    }
  });

  it('refuses neither or both, and fields out of range for the periodicity', () => {
    expect(refusal({})).toMatch(/exactly one/);
    expect(refusal({ electricity: elec, gas: { billingPeriodStartMs: 0, periodicity: 3 } })).toMatch(
      /exactly one/,
    );
    expect(refusal({ electricity: { ...elec, billingTimeS: 86_400 } })).toMatch(/billingTimeS/);
    expect(refusal({ electricity: { ...elec, dayOfMonth: 29 } })).toMatch(/dayOfMonth/);
    expect(refusal({ electricity: { ...elec, periodicity: 4 } })).toMatch(/billingPeriodStartMonth/);
    expect(refusal({ electricity: { ...elec, periodicity: 2, dayOfMonth: 0 } })).toMatch(/dayOfWeek/);
    expect(refusal({ electricity: { ...elec, periodicity: 9 } })).toMatch(/periodicity/);
    expect(refusal({ gas: { billingPeriodStartMs: Date.UTC(2015, 0, 31), periodicity: 3 } })).toMatch(
      /day 1 to 28/,
    );
  });

  it('4.4.3 takes a period of any length, ending after it starts', () => {
    const read = (period: object) => ({
      $case: 'retrieveBillingCalendarTriggeredBillingDataLog',
      value: { period },
    });
    expect(() => checkRequestBody('4.4.3', read({ startMs: 0, endMs: Date.UTC(3000, 0, 1) }))).not.toThrow();
    expect(() => checkRequestBody('4.4.3', read({ startMs: 10, endMs: 5 }))).toThrow(/end after/);
  });
});
