import {
  DurablePublisher,
  ensureFutureDatedStreams,
  futureDatedStreams,
  futureDatedSubjects,
  type Requester,
} from '@dcc/bus';
import { FUTURE_DATED_MAX_AHEAD_MS, FUTURE_DATED_TRT_MS } from '@dcc/domain';
import { FutureDatedServiceService } from '@dcc/proto';
import { tolerantDefinition, type GrpcBinding, type Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { DueIndex, type DueStream } from '../due-index.js';
import { futureDatedApi } from './cancel-api.js';
import { startHeldIntake } from './held-intake.js';
import { HeldStore } from './held-store.js';
import { Releaser } from './releaser.js';

/** The due index of held requests: its own stream, beside the schedules' one. */
const FUTURE_DATED_DUE: DueStream = {
  name: futureDatedStreams.due.name,
  subjectOf: futureDatedSubjects.due,
  ensure: ensureFutureDatedStreams,
};

/** A record outlives its request's horizon, execution and TRT by a week (then a repeated cancel is NOT_FOUND). */
const RECORD_TTL_MS = FUTURE_DATED_MAX_AHEAD_MS + FUTURE_DATED_TRT_MS + 7 * 86_400_000;

export interface FutureDatedHolder {
  releaser: Releaser;
  /** The gRPC service the scheduling service serves for it. */
  grpc: GrpcBinding;
  drain(): Promise<void>;
}

/**
 * DSP future-dated requests in the scheduling service: takes them in from access control, holds them in KV
 * `future_dated` and the FUTURE_DATED_DUE index (every instance), releases them when due (the leader: the caller
 * ticks the releaser with the scheduler) and lets their Users cancel them (every instance).
 */
export async function startFutureDated(parts: {
  nc: NatsConnection;
  requester: Requester;
  clock: () => number;
  bucketMs: number;
  log: Pick<Logger, 'warn'>;
  /** Whether this instance may release now (the leader lease); every instance takes requests in. */
  leads: () => boolean;
}): Promise<FutureDatedHolder> {
  const { nc, requester, clock, bucketMs, log, leads } = parts;
  const store = await HeldStore.open(nc, RECORD_TTL_MS);
  const index = await DueIndex.open(nc, bucketMs, FUTURE_DATED_DUE);
  const intake = await startHeldIntake(nc, store, index, log);
  return {
    releaser: new Releaser(store, index, new DurablePublisher(requester), clock, leads),
    grpc: {
      name: 'dcc.v1.FutureDatedService',
      definition: tolerantDefinition(FutureDatedServiceService),
      implementation: futureDatedApi(store) as unknown as GrpcBinding['implementation'],
    },
    drain: () => intake.drain(),
  };
}
