/** How hard and how long the rolling-restart test runs (ROLLING_PROFILE=short|long; short in CI). */
export interface RollingProfile {
  name: string;
  /** Meter points of the mixed estate (SMETS1 and SMETS2). */
  points: number;
  /** Reads per second, spread evenly over the access-control instances. */
  rate: number;
  /** How long each step leaves one instance of a pair carrying the load alone, and the pair after it. */
  dwellMs: number;
  partitions: number;
  leaseTtlMs: number;
  /** How long acknowledged requests may take to be answered after the load ends. */
  settleMs: number;
  /** The span over which the schedules' runs and the held requests fall due (the restarts' whole run). */
  scheduledSpreadMs: number;
}

export const ROLLING_PROFILES: Record<string, RollingProfile> = {
  short: {
    name: 'short',
    points: 600,
    rate: 30,
    dwellMs: 500,
    partitions: 32,
    // The default: a graceful stop releases its leases at once, so the TTL does not slow the hand-overs; a
    // shorter one lets an event-loop stall on a busy machine (seconds) lose leases mid-turn.
    leaseTtlMs: 10_000,
    settleMs: 20_000,
    scheduledSpreadMs: 90_000,
  },
  long: {
    name: 'long',
    points: 5_000,
    rate: 150,
    dwellMs: 5_000,
    partitions: 256,
    leaseTtlMs: 10_000,
    settleMs: 60_000,
    scheduledSpreadMs: 240_000,
  },
};

export function rollingProfile(): RollingProfile {
  const name = process.env['ROLLING_PROFILE'] ?? 'short';
  const profile = ROLLING_PROFILES[name];
  if (!profile) {
    throw new Error(`ROLLING_PROFILE=${name}: one of ${Object.keys(ROLLING_PROFILES).join(', ')}`);
  }
  return profile;
}
