import { describe, expect, it } from 'vitest';
import { checkRequestBody } from './srv-support.js';

const refusal = (srv: string, $case: string, value: Record<string, unknown>) => {
  try {
    checkRequestBody(srv, { $case, value });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};
const accepts = (srv: string, $case: string, value: Record<string, unknown>) =>
  expect(() => checkRequestBody(srv, { $case, value })).not.toThrow();

const period = { startMs: Date.UTC(2014, 11, 31), endMs: Date.UTC(2030, 0, 1) };

describe('device log and demand bodies are checked before I99 (6.13, 3.3, 6.18.1, 6.18.2, 6.12)', () => {
  it('6.13: any length of period, one of the four logs', () => {
    accepts('6.13', 'readEventOrSecurityLog', { period, log: 4 });
    expect(refusal('6.13', 'readEventOrSecurityLog', { period, log: 0 })).toMatch(/log must be EVENT/);
    expect(refusal('6.13', 'readEventOrSecurityLog', { log: 1 })).toMatch(/period is missing/);
    const backwards = { startMs: period.endMs, endMs: period.startMs };
    expect(refusal('6.13', 'readEventOrSecurityLog', { period: backwards, log: 1 })).toMatch(/end after/);
  });

  it('3.3: no log type, ESME or ALCS', () => {
    for (const esmeLog of [0, 1, 2]) accepts('3.3', 'clearEventLog', { esmeLog });
    expect(refusal('3.3', 'clearEventLog', { esmeLog: 3 })).toMatch(/esmeLog must be/);
  });

  it('6.18.1: whole half hours of a day, start before end', () => {
    const set = 'setMaximumDemandConfigurableTimePeriod';
    accepts('6.18.1', set, { startTimeS: 17 * 3600, endTimeS: 22 * 3600 });
    expect(refusal('6.18.1', set, { startTimeS: 100, endTimeS: 3600 })).toMatch(/half-hour boundaries/);
    expect(refusal('6.18.1', set, { startTimeS: 7200, endTimeS: 3600 })).toMatch(/before endTimeS/);
    expect(refusal('6.18.1', set, { startTimeS: 0, endTimeS: 90_000 })).toMatch(/endTimeS must be/);
  });

  it('6.18.2: at least one register', () => {
    const reset = 'resetMaximumDemandRegisters';
    accepts('6.18.2', reset, { configurableTimeActivePowerImport: true });
    const none = {
      activePowerImport: false,
      activePowerExport: false,
      configurableTimeActivePowerImport: false,
    };
    expect(refusal('6.18.2', reset, none)).toMatch(/at least one/);
  });

  it('6.12: both thresholds in range, low-medium below medium-high', () => {
    const update = 'updateDeviceConfigurationInstantaneousPowerThreshold';
    accepts('6.12', update, { lowMediumPowerThresholdW: 2300, mediumHighPowerThresholdW: 4600 });
    expect(
      refusal('6.12', update, { lowMediumPowerThresholdW: 4600, mediumHighPowerThresholdW: 2300 }),
    ).toMatch(/below/);
    expect(refusal('6.12', update, { lowMediumPowerThresholdW: 0, mediumHighPowerThresholdW: 2300 })).toMatch(
      /lowMediumPowerThresholdW must be/,
    );
  });

  it('4.10: no period, or one of at most 31 days', () => {
    accepts('4.10', 'readNetworkData', {});
    const days = (n: number) => ({ startMs: period.startMs, endMs: period.startMs + n * 86_400_000 });
    accepts('4.10', 'readNetworkData', { period: days(3) });
    expect(refusal('4.10', 'readNetworkData', { period: days(32) })).toMatch(/longer than 31 days/);
  });
});
