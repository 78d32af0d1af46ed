import { DccError, GrpcStatus, runDueMs } from '@dcc/domain';
import type { RoutedScheduleRequest, RoutedScheduleResponse, StoredSchedule } from '@dcc/proto';
import { randomBytes } from 'node:crypto';
import type { DueIndex } from './due-index.js';
import { ScheduleStore } from './schedule-store.js';

/** How many schedules one 5.2 answers at most (the answer says when more matched). */
export const DEFAULT_READ_LIMIT = 1_000;

/** The first period whose run falls due at or after `nowMs` (past days of a start date in the past are skipped). */
export function firstPeriodFrom(
  timing: NonNullable<StoredSchedule['schedule']>,
  nowMs: number,
): number | undefined {
  for (let period = 0; ; period += 1) {
    const due = runDueMs(timing, period);
    if (due === undefined) return undefined;
    if (due >= nowMs) return period;
  }
}

/** A fresh DSPScheduleID: a positive decimal integer from 48 random bits (SCHEDULE_ID_PATTERN). */
function newScheduleId(): string {
  return String(randomBytes(6).readUIntBE(0, 6) + 1);
}

/**
 * Answers 5.1 / 5.2 / 5.3 that access control routed (already validated: the body, the role and the scheduled
 * device). A User sees and deletes only its own schedules: another User's id is NOT_FOUND, as an unknown one.
 */
export async function answerScheduleRequest(
  store: ScheduleStore,
  index: DueIndex,
  request: RoutedScheduleRequest,
  readLimit = DEFAULT_READ_LIMIT,
): Promise<RoutedScheduleResponse> {
  const operation = request.operation;
  switch (operation?.$case) {
    case 'create': {
      const timing = operation.value;
      const first = firstPeriodFrom(timing, request.instantMs);
      if (first === undefined)
        throw DccError.invalidArgument('the schedule has no run after now (ScheduleEndDate)');
      const schedule: StoredSchedule = {
        dspScheduleId: newScheduleId(),
        userId: request.userId,
        userRole: request.userRole,
        schedule: timing,
        createdMs: request.instantMs,
        nextPeriod: first,
      };
      // The record first: an index entry without a record is dropped when it falls due, a record without its
      // entry would never run.
      await store.create(schedule);
      await index.add(runDueMs(timing, first)!, {
        key: ScheduleStore.key(schedule.userId, schedule.dspScheduleId),
        period: first,
      });
      return { result: { $case: 'created', value: { dspScheduleId: schedule.dspScheduleId } } };
    }
    case 'read': {
      const { dspScheduleId, deviceId } = operation.value;
      const found = dspScheduleId
        ? await store.get(ScheduleStore.key(request.userId, dspScheduleId))
        : undefined;
      if (dspScheduleId && (!found || (deviceId && found.schedule.schedule?.deviceId !== deviceId))) {
        throw notFound(dspScheduleId);
      }
      const { schedules, truncated } = found
        ? { schedules: [found.schedule], truncated: false }
        : await store.list(request.userId, readLimit, deviceId);
      return {
        result: {
          $case: 'read',
          value: {
            truncated,
            schedules: schedules.map((s) => ({
              dspScheduleId: s.dspScheduleId,
              schedule: s.schedule,
              userRole: s.userRole,
              createdMs: s.createdMs,
            })),
          },
        },
      };
    }
    case 'delete': {
      const { dspScheduleId } = operation.value;
      if (!(await store.delete(request.userId, dspScheduleId))) throw notFound(dspScheduleId);
      return { result: { $case: 'deleted', value: { dspScheduleId } } };
    }
    default:
      throw DccError.invalidArgument('schedule request without an operation');
  }
}

function notFound(id: string): DccError {
  return new DccError(GrpcStatus.NOT_FOUND, `the User has no schedule ${id}`);
}
