import { describe, expect, it } from 'vitest';
import { checkRequestBody } from '../srv/srv-support.js';
import {
  isSchedulableNow,
  readPeriodOf,
  runBody,
  runCounter,
  runDueMs,
  type ScheduleTiming,
} from './schedule-calendar.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 31);
const yesterday: ScheduleTiming = {
  frequency: 1,
  startDateMs: START,
  endDateMs: 0,
  executionTimeS: 3_600,
  startDateOffset: -1,
  startTimeS: 0,
  endDateOffset: 0,
  endTimeS: 0,
};
const create = (overrides: Record<string, unknown>) => ({
  $case: 'createSchedule',
  value: {
    scheduledServiceReferenceVariant: '4.8.1',
    deviceId: '00-DB-12-00-00-00-00-01',
    purpose: 'MHHS',
    ...yesterday,
    ...overrides,
  },
});

describe('DCC schedule calendar', () => {
  it('daily runs fall due at the execution time of each day and read the day before', () => {
    expect(runDueMs(yesterday, 0)).toBe(START + 3_600_000);
    expect(runDueMs(yesterday, 2)).toBe(START + 2 * DAY + 3_600_000);
    expect(readPeriodOf(yesterday, START + DAY)).toEqual({ startMs: START, endMs: START + DAY });
  });

  it('weekly runs are 7 days apart; monthly runs keep the day, clamped to a short month; an end date stops them', () => {
    expect(runDueMs({ ...yesterday, frequency: 2 }, 1)).toBe(START + 7 * DAY + 3_600_000);
    expect(runDueMs({ ...yesterday, frequency: 3 }, 1)).toBe(Date.UTC(2026, 1, 28) + 3_600_000);
    expect(runDueMs({ ...yesterday, frequency: 3 }, 2)).toBe(Date.UTC(2026, 2, 31) + 3_600_000);
    expect(runDueMs({ ...yesterday, endDateMs: START + 2 * DAY }, 1)).toBe(START + DAY + 3_600_000);
    expect(runDueMs({ ...yesterday, endDateMs: START + 2 * DAY }, 2)).toBeUndefined();
  });

  it('a run of a log read carries its period; a parameterless SRV an empty body', () => {
    expect(runBody('4.8.1', yesterday, START)).toEqual({
      $case: 'readActiveImportProfileData',
      value: { period: { startMs: START - DAY, endMs: START } },
    });
    expect(runBody('4.10', yesterday, START)).toEqual({ $case: 'readNetworkData', value: {} });
  });

  it('only DCC-schedulable SRVs the hub carries out may be scheduled', () => {
    expect(['4.6.1', '4.8.1', '4.8.2', '4.8.3', '4.10', '4.17', '14.1'].every(isSchedulableNow)).toBe(true);
    expect(isSchedulableNow('4.1.1')).toBe(false); // on demand only
    expect(isSchedulableNow('8.2')).toBe(false); // answered by the hub, not a device
  });

  it('run RequestID counters rise from period to period and differ between schedules', () => {
    expect(runCounter(START, 1_234_567)).toBe(`${START}234567`);
    expect(BigInt(runCounter(START + DAY, 0))).toBeGreaterThan(BigInt(runCounter(START, 999_999)));
    expect(runCounter(START, 1)).not.toBe(runCounter(START, 2));
    // Above a clock-taken nanosecond counter of any earlier instant.
    expect(BigInt(runCounter(START, 0))).toBeGreaterThan(BigInt(START - 1) * 1_000_000n + 999_999n);
  });
});

describe('5.1 / 5.2 / 5.3 bodies', () => {
  it('accepts a well-formed 5.1 and refuses each bad field, naming it', () => {
    expect(() => checkRequestBody('5.1', create({}))).not.toThrow();
    const refused: [Record<string, unknown>, RegExp][] = [
      [{ scheduledServiceReferenceVariant: '4.1.1' }, /not a DCC-schedulable SRV/],
      [{ deviceId: '00-db-12-00-00-00-00-01' }, /deviceId/],
      [{ frequency: 0 }, /frequency/],
      [{ startDateMs: START + 1 }, /startDateMs/],
      [{ endDateMs: START }, /endDateMs/],
      [{ executionTimeS: 86_400 }, /executionTimeS/],
      [{ startDateOffset: -40 }, /startDateOffset/],
      [{ purpose: 'no spaces' }, /purpose/],
      [{ startDateOffset: 0 }, /each run's request: .*period must end after it starts/],
      [{ startDateOffset: -31, endDateOffset: 1 }, /longer than 31 days/],
    ];
    for (const [fields, reason] of refused) {
      expect(() => checkRequestBody('5.1', create(fields))).toThrow(reason);
    }
  });

  it('5.3 needs a DSPScheduleID; 5.2 may name one, a device, or nothing', () => {
    // DUIS's form: a positive decimal integer (the DUIS samples' "123").
    for (const dspScheduleId of ['', '0', '0123', '00000000000A', '12a', '-5', '1234567890123456789']) {
      expect(() => checkRequestBody('5.3', { $case: 'deleteSchedule', value: { dspScheduleId } })).toThrow(
        /dspScheduleId/,
      );
    }
    for (const dspScheduleId of ['123', '281474976710656', '123456789012345678']) {
      expect(() =>
        checkRequestBody('5.3', { $case: 'deleteSchedule', value: { dspScheduleId } }),
      ).not.toThrow();
    }
    expect(() =>
      checkRequestBody('5.2', { $case: 'readSchedule', value: { dspScheduleId: '', deviceId: '' } }),
    ).not.toThrow();
    expect(() =>
      checkRequestBody('5.2', { $case: 'readSchedule', value: { dspScheduleId: '', deviceId: 'x' } }),
    ).toThrow(/deviceId/);
  });
});
