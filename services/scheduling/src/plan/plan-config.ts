import { z } from 'zod';

/** The collection plan's and the reports' settings (docs/operations.md). */
export const planConfig = {
  /**
   * Collection windows, UTC, e.g. `01:00-06:00` (comma-separated; an end before the start crosses midnight).
   * Set: runs that fall due wait in the plan and are released within the windows, paced per lane. Empty (the
   * default): each run is released as it falls due.
   */
  SCHEDULING_WINDOWS: z.string().default(''),
  /** Capacity per lane, runs per second, e.g. `s2-NORTH:40,s1-IOC:5`; lanes not named take SCHEDULING_LANE_RATE. */
  SCHEDULING_LANE_RATES: z.string().default(''),
  SCHEDULING_LANE_RATE: z.coerce.number().positive().default(50),
  /** How often the plan releases runs. */
  PLAN_TICK_MS: z.coerce.number().int().min(10).default(1_000),
  /** Operator identities (client certificate CNs, EUI-64, comma-separated) for the reports API. */
  OPERATOR_IDS: z.string().default(''),
  /** Development only: the reports API answers on a plaintext server, where no caller is authenticated. */
  REPORTS_API_PLAINTEXT: z.enum(['true', 'false']).default('false'),
};
