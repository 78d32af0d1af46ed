import { findSrv, isEui64 } from '@dcc/domain';
import { z } from 'zod';
import { SlidingWindowCounter } from './sliding-window.js';

/** Longest window a threshold may use: a counter costs 4 bytes per second of its window. */
export const MAX_WINDOW_SECONDS = 3_600;

const windowSeconds = z.number().int().min(1).max(MAX_WINDOW_SECONDS);
/** A limit: a bare number (requests per the default window) or `{ "limit": n, "windowSeconds": w }`. */
const limitSchema = z.union([
  z.number().int().min(0),
  z.object({ limit: z.number().int().min(0), windowSeconds }).strict(),
]);
const srvKey = z.string().refine((srv) => srv === '*' || findSrv(srv) !== undefined, {
  message: 'not an SRV of the catalogue (or "*")',
});
const srvLimits = z.record(srvKey, limitSchema);

/**
 * Anomaly Detection Thresholds (DCC-REFERENCE §7). A request is quarantined when counting it would take a count
 * over its limit: per User and SRV (`users` for one User's own thresholds, then `perUser` for every User; an
 * SRV's own entry before `"*"`, which applies to each other SRV separately), and per SRV across all Users
 * (`systemWide`). A key left out keeps its default; `{}` switches that kind of threshold off.
 */
export const anomalyThresholdsSchema = z
  .object({
    /** Window of limits given as a bare number. */
    windowSeconds: windowSeconds.default(60),
    perUser: srvLimits.default({
      '*': 1_000_000,
      '7.2': { limit: 1_000, windowSeconds: 3_600 },
    }),
    users: z
      .record(
        z.string().refine((id) => isEui64(id), { message: 'not a canonical EUI-64 User ID' }),
        srvLimits,
      )
      .default({}),
    systemWide: z
      .record(
        srvKey.refine((srv) => srv !== '*', { message: 'system-wide thresholds name their SRV' }),
        limitSchema,
      )
      .default({ '7.2': { limit: 5_000, windowSeconds: 3_600 } }),
  })
  .strict();

export type AnomalyThresholds = z.infer<typeof anomalyThresholdsSchema>;

/** The `ANOMALY_THRESHOLDS` environment setting: JSON of anomalyThresholdsSchema; unset means the defaults. */
export const anomalyThresholdsSetting = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
  })
  .pipe(anomalyThresholdsSchema);

export interface Threshold {
  limit: number;
  windowSeconds: number;
}

/** Which threshold a request would have exceeded. */
export interface Breach extends Threshold {
  scope: 'user' | 'system';
  srv: string;
  /** For a User, e.g. "per-User threshold for SRV 4.1.1 exceeded: 5 in 60 s". */
  reason: string;
}

/** A request counted against its thresholds; `undo` takes it back (its hand-off failed). */
export interface Counted {
  undo(): void;
}

interface Entry {
  counter: SlidingWindowCounter;
  limit: number;
}

/** The table size below which no sweep runs. */
const MIN_SWEEP_SIZE = 4_096;

/**
 * Sliding-window counts of dispatched requests per (User, SRV) and per SRV across Users, against the configured
 * thresholds. O(1) per request: one map lookup and one ring-buffer update per applicable threshold (at most
 * two). Memory: one counter (4 bytes per second of its window, ~150 bytes besides) per (User, SRV) pair and per
 * system-wide SRV that counted something; idle counters (empty window) are dropped by a sweep that runs when the
 * table has doubled since the last one, so the cost stays O(1) amortised and the table stays bounded by the
 * pairs active within their window. Only requests that passed admission are ever counted, so the keys are
 * bounded by admitted Users × catalogue SRVs.
 */
export class AnomalyDetector {
  private readonly perUser = new Map<string, Entry>();
  private readonly system = new Map<string, Entry>();
  private sweepAt = MIN_SWEEP_SIZE;

  constructor(private readonly thresholds: AnomalyThresholds) {}

  /** Live counters, for tests and metrics. */
  get counters(): number {
    return this.perUser.size + this.system.size;
  }

  /**
   * Decides for one admitted request at `nowMs`: within every threshold → counted (returns `Counted`);
   * otherwise → the breach, and nothing is counted (quarantined requests do not count).
   */
  check(userId: string, srv: string, nowMs: number): Counted | Breach {
    const now = Math.floor(nowMs / 1000);
    const userEntry = this.userEntry(userId, srv, now);
    const systemEntry = this.systemEntry(srv);
    if (userEntry && userEntry.counter.count(now) + 1 > userEntry.limit) {
      return breach('user', srv, userEntry);
    }
    if (systemEntry && systemEntry.counter.count(now) + 1 > systemEntry.limit) {
      return breach('system', srv, systemEntry);
    }
    const userSecond = userEntry?.counter.add(now);
    const systemSecond = systemEntry?.counter.add(now);
    return {
      undo: () => {
        if (userSecond !== undefined) userEntry!.counter.remove(userSecond);
        if (systemSecond !== undefined) systemEntry!.counter.remove(systemSecond);
      },
    };
  }

  /** The threshold for (User, SRV): the User's own for the SRV, the User's "*", every User's SRV, every User's "*". */
  thresholdFor(userId: string, srv: string): Threshold | undefined {
    const own = this.thresholds.users[userId];
    const limit = own?.[srv] ?? own?.['*'] ?? this.thresholds.perUser[srv] ?? this.thresholds.perUser['*'];
    return limit === undefined ? undefined : this.threshold(limit);
  }

  /** The threshold for `srv` across all Users, if one is set. */
  systemThresholdFor(srv: string): Threshold | undefined {
    const limit = this.thresholds.systemWide[srv];
    return limit === undefined ? undefined : this.threshold(limit);
  }

  private userEntry(userId: string, srv: string, now: number): Entry | undefined {
    const key = `${userId} ${srv}`;
    let entry = this.perUser.get(key);
    if (!entry) {
      const threshold = this.thresholdFor(userId, srv);
      if (!threshold) return undefined;
      if (this.perUser.size >= this.sweepAt) this.sweep(now * 1000);
      entry = { counter: new SlidingWindowCounter(threshold.windowSeconds), limit: threshold.limit };
      this.perUser.set(key, entry);
    }
    return entry;
  }

  private systemEntry(srv: string): Entry | undefined {
    let entry = this.system.get(srv);
    if (!entry) {
      const threshold = this.systemThresholdFor(srv);
      if (!threshold) return undefined;
      entry = { counter: new SlidingWindowCounter(threshold.windowSeconds), limit: threshold.limit };
      this.system.set(srv, entry);
    }
    return entry;
  }

  private threshold(limit: number | Threshold): Threshold {
    return typeof limit === 'number' ? { limit, windowSeconds: this.thresholds.windowSeconds } : limit;
  }

  /** Drops per-User counters whose window is empty (runs by itself when the table has doubled since the last). */
  sweep(nowMs: number): void {
    const now = Math.floor(nowMs / 1000);
    for (const [key, entry] of this.perUser) {
      if (entry.counter.isIdle(now)) this.perUser.delete(key);
    }
    this.sweepAt = Math.max(MIN_SWEEP_SIZE, 2 * this.perUser.size);
  }
}

export function isBreach(outcome: Counted | Breach): outcome is Breach {
  return 'scope' in outcome;
}

function breach(scope: 'user' | 'system', srv: string, entry: Entry): Breach {
  return breachOf(scope, srv, { limit: entry.limit, windowSeconds: entry.counter.seconds });
}

/** The breach of `threshold` by one more request for `srv`. */
export function breachOf(scope: 'user' | 'system', srv: string, threshold: Threshold): Breach {
  const { limit, windowSeconds } = threshold;
  const who = scope === 'user' ? 'per-User' : 'system-wide';
  return {
    scope,
    srv,
    limit,
    windowSeconds,
    reason: `${who} threshold for SRV ${srv} exceeded: more than ${limit} in ${windowSeconds} s`,
  };
}
