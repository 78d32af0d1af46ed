import { SHARDS_PER_USER } from '@dcc/scheduling';

/** A national estate: 30 million meters, a supplier schedule each. */
const NATIONAL_SCHEDULES = 30_000_000;

/**
 * The scheduling service's SCHEDULE_SHARDS for a smaller estate: its share of the national count, so a shard
 * holds as many schedules as it would nationally (about 29) and nats-server's memory per schedule is the
 * national one, not that of a key per schedule.
 */
export function scaledScheduleShards(schedules: number): number {
  return Math.max(1, Math.round((SHARDS_PER_USER * schedules) / NATIONAL_SCHEDULES));
}
