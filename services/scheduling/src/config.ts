import { z } from 'zod';
import { planConfig } from './plan/plan-config.js';
import { SHARDS_PER_USER } from './schedule-store.js';

/** scheduling's own settings (on top of the service-kit base ones). */
export const schedulingConfig = {
  ...planConfig,
  /** Width of one bucket of the due index: runs due within it are read together. */
  DUE_BUCKET_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often the scheduler looks for due buckets. */
  SCHEDULER_TICK_MS: z.coerce.number().int().min(10).default(1_000),
  /**
   * Shards a User's schedules are packed into (schedule-store.ts). Read when the schedules bucket is created and
   * kept in it: a later change is ignored (a schedule's shard follows from its id and the count).
   */
  SCHEDULE_SHARDS: z.coerce.number().int().min(1).max(16_777_216).default(SHARDS_PER_USER),
  /** Most schedules one 5.2 Read Schedule answers. */
  SCHEDULE_READ_LIMIT: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /**
   * Tests and development only: run the scheduler on a clock that starts at this instant (UTC milliseconds) and
   * advances in real time, so a process test can put a night's runs due at once. 0 (the default): the system
   * clock. Never set it in production: runs would fall due at the wrong time.
   */
  SCHEDULING_TEST_CLOCK_START_MS: z.coerce.number().int().min(0).default(0),
  /**
   * Tests and development only: the scheduler's clock is the system clock plus this (milliseconds, may be
   * negative), the same in every process given it, restarts included (SCHEDULING_TEST_CLOCK_START_MS wins when
   * set). 0: the system clock. Never set it in production.
   */
  SCHEDULING_TEST_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  /** This instance's id in the leader lease; a restart with the same id takes its lease back at once. */
  INSTANCE_ID: z.string().min(1).optional(),
  /**
   * The leader lease's TTL: a leader killed is replaced after at most about this plus a fifth of it; a drained
   * one at once.
   */
  SCHEDULING_LEASE_TTL_MS: z.coerce.number().int().min(300).default(10_000),
};
