import type { KeyObject } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Cohort } from '../src/cohort.js';
import { Dco } from '../src/dco.js';
import { DcoLanes } from '../src/dco-lanes.js';

/** Lease timings short enough for a test to see a lane move (renew * 2 < ttl - margin, as PartitionLeases needs). */
export const TEST_LEASES = { ttlMs: 1_500, renewMs: 150, marginMs: 500 };

/** One DCO turn of a cohort as a lane ran it: which instance, which command, when it began and ended (ms). */
export interface Turn {
  instance: string;
  requestId: string;
  began: number;
  ended: number;
}

export interface LaneInstance {
  name: string;
  nc: NatsConnection;
  dco: Dco;
  lanes: DcoLanes;
}

/**
 * A smets1-adapter instance's DCO side (its own NATS connection, Dco and lane leases), as a separate process
 * would have it; every turn its lanes run is recorded in `turns` (one clock: the test process's).
 */
export async function laneInstance(options: {
  name: string;
  natsUrl: string;
  keys: { privateKey: KeyObject; publicKey: KeyObject };
  bucket: string;
  processingMs?: Partial<Record<Cohort, number>>;
  turns?: Record<Cohort, Turn[]>;
  budgetMs?: number;
}): Promise<LaneInstance> {
  const { name, turns } = options;
  const nc = await connect({ servers: options.natsUrl });
  const begun = new Map<string, number>();
  const dco = new Dco({
    keys: options.keys,
    processingMs: options.processingMs ?? {},
    observer: {
      began: (_cohort, requestId) => begun.set(requestId, performance.now()),
      processed: (cohort, requestId) =>
        turns?.[cohort].push({
          instance: name,
          requestId,
          began: begun.get(requestId)!,
          ended: performance.now(),
        }),
    },
  });
  const lanes = await DcoLanes.start({
    nc,
    instanceId: name,
    dco,
    budgetMs: options.budgetMs ?? 10_000,
    // A lane's turns take milliseconds here: a hand-off unanswered for a second went to a dead holder.
    attemptMs: 1_000,
    leases: { ...TEST_LEASES, bucket: options.bucket },
  });
  return { name, nc, dco, lanes };
}

/** The turns of one cohort overlapping another of the same cohort: none, when the cohort's order holds hub-wide. */
export function overlaps(turns: Turn[]): [Turn, Turn][] {
  const sorted = [...turns].sort((a, b) => a.began - b.began);
  const found: [Turn, Turn][] = [];
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.began < sorted[i - 1]!.ended) found.push([sorted[i - 1]!, sorted[i]!]);
  return found;
}
