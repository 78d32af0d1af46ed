import { z } from 'zod';
import { planConfig } from './plan/plan-config.js';

/** scheduling's own settings (on top of the service-kit base ones). */
export const schedulingConfig = {
  ...planConfig,
  /** Width of one bucket of the due index: runs due within it are read together. */
  DUE_BUCKET_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** How often the scheduler looks for due buckets. */
  SCHEDULER_TICK_MS: z.coerce.number().int().min(10).default(1_000),
  /** Most schedules one 5.2 Read Schedule answers. */
  SCHEDULE_READ_LIMIT: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /**
   * Tests and development only: run the scheduler on a clock that starts at this instant (UTC milliseconds) and
   * advances in real time, so a process test can put a night's runs due at once. 0 (the default): the system
   * clock. Never set it in production: runs would fall due at the wrong time.
   */
  SCHEDULING_TEST_CLOCK_START_MS: z.coerce.number().int().min(0).default(0),
};
