import { isRoleEligible, requireSrv } from '../srv/srv-catalogue.js';
import { srvEntry } from '../srv/srv-support.js';
import type { UserRoleCode } from '../user-role.js';

/*
 * When a DCC schedule (SRV 5.1) runs and what each run reads (DCC-REFERENCE §9): a run falls due on each
 * period's day at the execution time; a log read covers StartDateOffset days at StartTime to EndDateOffset days
 * at EndTime, relative to that day (the DUIS 4.6.1 template's −1 / 00:00 to 0 / 00:00 is "yesterday").
 */

export const DAY_MS = 86_400_000;

/** Target Response Time of a scheduled or DSP-held request, from its due time (DCC-REFERENCE §1.6). */
export const SCHEDULED_TRT_MS = DAY_MS;

/** DUIS ScheduleFrequency as the wire numbers it (libs/proto ScheduleFrequency). */
export const SCHEDULE_FREQUENCIES = { 1: 'daily', 2: 'weekly', 3: 'monthly' } as const;
export type ScheduleFrequencyName = (typeof SCHEDULE_FREQUENCIES)[keyof typeof SCHEDULE_FREQUENCIES];

/** What of a 5.1 body the calendar needs (the CreateSchedule message's fields). */
export interface ScheduleTiming {
  frequency: number;
  startDateMs: number;
  endDateMs: number;
  executionTimeS: number;
  startDateOffset: number;
  startTimeS: number;
  endDateOffset: number;
  endTimeS: number;
}

/**
 * The SRVs a User may schedule today: DCC-schedulable in the catalogue and carried out by a device in the SRV
 * table (docs/srv-coverage.md lists which those are).
 */
export function isSchedulableNow(srv: string): boolean {
  const entry = srvEntry(srv);
  return entry?.answeredBy === 'device' && requireSrv(srv).dccSchedulable;
}

/** Whether the role may send the scheduled SRV itself (E2 otherwise, at creation and at every run). */
export function mayScheduleAs(srv: string, role: UserRoleCode): boolean {
  return isRoleEligible(requireSrv(srv), role);
}

/** UTC midnight of the day of run `period` (0 = the start date), or undefined past the schedule's end. */
export function runDayMs(timing: ScheduleTiming, period: number): number | undefined {
  let day: number;
  switch (SCHEDULE_FREQUENCIES[timing.frequency as keyof typeof SCHEDULE_FREQUENCIES]) {
    case 'daily':
      day = timing.startDateMs + period * DAY_MS;
      break;
    case 'weekly':
      day = timing.startDateMs + period * 7 * DAY_MS;
      break;
    case 'monthly': {
      // The same day of the month, clamped to the month's last day (a schedule starting on the 31st).
      const start = new Date(timing.startDateMs);
      const month = start.getUTCMonth() + period;
      const last = new Date(Date.UTC(start.getUTCFullYear(), month + 1, 0)).getUTCDate();
      day = Date.UTC(start.getUTCFullYear(), month, Math.min(start.getUTCDate(), last));
      break;
    }
    default:
      return undefined;
  }
  return timing.endDateMs > 0 && day >= timing.endDateMs ? undefined : day;
}

/** When run `period` falls due, or undefined past the end. */
export function runDueMs(timing: ScheduleTiming, period: number): number | undefined {
  const day = runDayMs(timing, period);
  return day === undefined ? undefined : day + timing.executionTimeS * 1000;
}

/** The read period of the run on `dayMs` (start inclusive, end exclusive). */
export function readPeriodOf(timing: ScheduleTiming, dayMs: number): { startMs: number; endMs: number } {
  return {
    startMs: dayMs + timing.startDateOffset * DAY_MS + timing.startTimeS * 1000,
    endMs: dayMs + timing.endDateOffset * DAY_MS + timing.endTimeS * 1000,
  };
}

/** The request body of one run of a scheduled SRV: its read period filled in for a log read, else none. */
export function runBody(
  srv: string,
  timing: ScheduleTiming,
  dayMs: number,
): { $case: string; value: Record<string, unknown> } | undefined {
  const entry = srvEntry(srv);
  if (!entry) return undefined;
  if (entry.periodField)
    return { $case: entry.request, value: { [entry.periodField]: readPeriodOf(timing, dayMs) } };
  return entry.bodyRequired ? undefined : { $case: entry.request, value: {} };
}

/**
 * The RequestID counter of one run, nanosecond-style as a User that takes its counters from the clock: the due
 * time in milliseconds × 10^6 plus the schedule's creation instant's last six digits. It is above every counter
 * such a User took before the run fell due and rises from period to period, so the device's anti-replay check
 * (a counter above the last one per originator) passes; schedules of one User and device due at the same instant
 * differ in their low digits. A decimal string: it exceeds 2^53 (and stays below 2^64 until the year 2554).
 */
export function runCounter(dueMs: number, createdMs: number): string {
  return (BigInt(dueMs) * 1_000_000n + BigInt(createdMs % 1_000_000)).toString();
}
