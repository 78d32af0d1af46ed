import { ScheduleFrequency, UserRole, type ServiceRequest } from '@dcc/proto';

const DAY_MS = 86_400_000;

/**
 * A 5.1 Create Schedule of a daily `srv` (default 4.10) on `deviceId` by the development supplier's IS role whose
 * first run falls due at `firstDueMs` (whole seconds): the start date is that day's UTC midnight and the
 * execution time its second of the day.
 */
export function dailyScheduleRequest(
  requestId: string,
  deviceId: string,
  firstDueMs: number,
  srv = '4.10',
): ServiceRequest {
  const day = Math.floor(firstDueMs / DAY_MS) * DAY_MS;
  return {
    requestId,
    commandVariant: 8,
    serviceReferenceVariant: '5.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: {
      $case: 'createSchedule',
      value: {
        scheduledServiceReferenceVariant: srv,
        deviceId,
        frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
        startDateMs: day,
        endDateMs: 0,
        executionTimeS: Math.floor((firstDueMs - day) / 1_000),
        startDateOffset: 0,
        startTimeS: 0,
        endTimeS: 0,
        endDateOffset: 0,
        purpose: '',
      },
    },
  };
}

/** A 4.1.1 read by the development supplier's IS role held until `executionMs` (a DSP future-dated request). */
export function futureDatedRead(requestId: string, executionMs: number): ServiceRequest {
  return {
    requestId,
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'readInstantaneousImportRegisters', value: {} },
    executionDateTimeMs: executionMs,
  };
}

/** Meter n of the uniform test estate (00-DB-12-00-00-00-00-00 upwards). */
export function uniformMeter(n: number): string {
  const byte = (b: number) => b.toString(16).padStart(2, '0').toUpperCase();
  return `00-DB-12-00-00-00-${byte((n >> 8) & 0xff)}-${byte(n & 0xff)}`;
}
