import { isEui64 } from '../eui64.js';
import type { BodyRule } from '../srv/body-rules.js';
import { checkRequestBody } from '../srv/srv-support.js';
import {
  DAY_MS,
  isSchedulableNow,
  runBody,
  runDayMs,
  SCHEDULE_FREQUENCIES,
  type ScheduleTiming,
} from './schedule-calendar.js';

/**
 * A DSPScheduleID: DUIS carries a positive integer (DCC's 5.2 and 5.3 samples name schedule "123"; DCC's own DUIS
 * parser, npm @smartdcc/duis-parser, types it as a number), written in decimal without leading zeros. At most 18
 * digits, so it fits a signed 64-bit integer (the width is the hub's choice: DCC-REFERENCE gives none).
 */
export const SCHEDULE_ID_PATTERN = /^[1-9][0-9]{0,17}$/;
const PURPOSE = /^[A-Za-z0-9_-]{0,16}$/;
/** Read-period offsets a schedule may name, days relative to its run day. */
export const MAX_OFFSET_DAYS = 31;

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
const secondOfDay = (value: unknown) => isInt(value) && value >= 0 && value < DAY_MS / 1000;

/**
 * 5.1 Create Schedule, everything the hub can check without the inventory (access control checks the device and
 * the role for the scheduled SRV next): a schedulable SRV supported today, a device id, a frequency, a start date
 * at a UTC midnight, an end after it, times of day, offsets, the purpose; and the first run's request must pass
 * the scheduled SRV's own body rules (a read period that ends after it starts and within the SRV's limit).
 */
export const createScheduleBody: BodyRule = (fields) => {
  const srv = fields['scheduledServiceReferenceVariant'];
  if (typeof srv !== 'string' || srv.length === 0) return 'scheduledServiceReferenceVariant is missing';
  if (!isSchedulableNow(srv.slice(0, 16))) {
    return `scheduledServiceReferenceVariant ${srv.slice(0, 16)} is not a DCC-schedulable SRV the hub carries out`;
  }
  if (typeof fields['deviceId'] !== 'string' || !isEui64(fields['deviceId'])) {
    return 'deviceId must be an EUI-64 in the DUIS spelling';
  }
  if (!(Number(fields['frequency']) in SCHEDULE_FREQUENCIES))
    return 'frequency must be daily, weekly or monthly';
  const start = fields['startDateMs'];
  if (!isInt(start) || start <= 0 || start % DAY_MS !== 0) return 'startDateMs must be a UTC midnight';
  const end = fields['endDateMs'];
  if (!isInt(end) || (end !== 0 && (end <= start || end % DAY_MS !== 0))) {
    return 'endDateMs must be 0 (no end) or a UTC midnight after startDateMs';
  }
  for (const field of ['executionTimeS', 'startTimeS', 'endTimeS']) {
    if (!secondOfDay(fields[field])) return `${field} must be seconds after midnight (0..86399)`;
  }
  for (const field of ['startDateOffset', 'endDateOffset']) {
    const offset = fields[field];
    if (!isInt(offset) || Math.abs(offset) > MAX_OFFSET_DAYS) {
      return `${field} must be whole days within ±${MAX_OFFSET_DAYS}`;
    }
  }
  if (typeof fields['purpose'] !== 'string' || !PURPOSE.test(fields['purpose'])) {
    return 'purpose must be at most 16 letters, digits, "-" or "_"';
  }
  const timing = fields as unknown as ScheduleTiming;
  const firstDay = runDayMs(timing, 0);
  if (firstDay === undefined) return 'the schedule ends before its first run';
  try {
    checkRequestBody(srv, runBody(srv, timing, firstDay));
  } catch (error) {
    return `each run's request: ${(error as Error).message}`;
  }
  return undefined;
};

/** 5.2 (`optional`: an id or nothing, the device id may narrow) and 5.3 (the id): a DSPScheduleID. */
export function scheduleIdBody(optional: boolean): BodyRule {
  return (fields) => {
    const id = fields['dspScheduleId'];
    const device = fields['deviceId'];
    if (typeof device === 'string' && device !== '' && !isEui64(device)) {
      return 'deviceId must be an EUI-64 in the DUIS spelling';
    }
    if (optional && (id === '' || id === undefined)) return undefined;
    return typeof id === 'string' && SCHEDULE_ID_PATTERN.test(id)
      ? undefined
      : 'dspScheduleId must be a positive decimal integer of at most 18 digits';
  };
}
