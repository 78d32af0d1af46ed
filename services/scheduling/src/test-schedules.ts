import { ScheduleFrequency, type CreateSchedule } from '@dcc/proto';

/** Tests' schedule: a daily 4.8.1 read of yesterday's half hours from `deviceId`, at `executionTimeS` UTC. */
export function dailyProfileRead(
  deviceId: string,
  startDateMs: number,
  executionTimeS = 3_600,
): CreateSchedule {
  return {
    scheduledServiceReferenceVariant: '4.8.1',
    deviceId,
    frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
    startDateMs,
    endDateMs: 0,
    executionTimeS,
    startDateOffset: -1,
    startTimeS: 0,
    endDateOffset: 0,
    endTimeS: 0,
    purpose: '',
  };
}
