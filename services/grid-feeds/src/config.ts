import { z } from 'zod';

const ms = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).max(3_600_000).default(fallback);

/** grid-feeds' settings (docs/operations.md). */
export const gridFeedsConfig = {
  /** How long to wait for registration's answer about an alert's device. */
  REGISTRATION_TIMEOUT_MS: ms(50, 2_000),
  /** Outage-summary window: one `outage-summary` event per feeder per window with outages or restores. */
  GRID_SUMMARY_WINDOW_MS: ms(100, 10_000),
  /** Aggregation period: `aggregate` per feeder and `substation-aggregate` per substation. */
  GRID_AGGREGATE_PERIOD_MS: ms(100, 60_000),
  /**
   * Network operators whose feed stream and durable consumers are made at start (EUI-64s, comma-separated),
   * so each can attach its durable consumer before its first event; any other gets them on its first event.
   */
  GRID_NETWORK_OPERATORS: z.string().default(''),
  /** Retention of each network operator's feed stream `GRID_<id>`: age and size. */
  GRID_RETENTION_DAYS: z.coerce.number().min(0.001).max(365).default(7),
  GRID_STREAM_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_048_576)
    .default(1024 ** 3),
};
