import { z } from 'zod';

/** access-control's own settings (on top of the service-kit base ones). */
export const accessControlConfig = {
  /**
   * Users admitted to the hub, as JSON: [{"id":"90-B3-D5-1F-30-01-00-00","roles":["IS","GS"]}]. Defaults to the
   * DCC Boxed style development Users (see user-directory.ts).
   */
  USERS: z.string().optional(),
  /** Size of the simulated SMETS2 fleet, until registration serves the inventory (see device-directory.ts). */
  FLEET_SIZE: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Meter partitions; must match the adapters' (it is part of every meter mail subject). */
  METER_PARTITIONS: z.coerce.number().int().min(1).max(65_536).default(256),
  /** Requests a single SubmitStream call may have waiting for their acknowledgement. */
  STREAM_WINDOW: z.coerce.number().int().min(1).max(100_000).default(2_000),
};
