import { DurablePublisher, Responder, subjects } from '@dcc/bus';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { RoutedScheduleRequest, RoutedScheduleResponse } from '@dcc/proto';
import type { ServiceModule } from '@dcc/service-kit';
import { schedulingConfig } from './config.js';
import { DueIndex } from './due-index.js';
import { startFutureDated, type FutureDatedHolder } from './future-dated/future-dated.js';
import { Leadership } from './leadership.js';
import { answerScheduleRequest } from './schedule-requests.js';
import { startCollectionPlan, type CollectionPlan } from './plan/collection-plan.js';
import { carryOverSchedules } from './schedule-carry-over.js';
import { ScheduleStore } from './schedule-store.js';
import { Scheduler } from './scheduler.js';

export const SCHEDULING_GRPC_PORT = 50066;

export interface SchedulingOptions {
  /** "Now" for creation and runs; tests pass a settable one. The system clock by default. */
  clock?: () => number;
  /** Hands tests the running scheduler. */
  onStarted?: (scheduler: Scheduler, plan: CollectionPlan) => void;
  /** Hands tests the running holder of future-dated requests. */
  onFutureDated?: (holder: FutureDatedHolder) => void;
  /** Hands tests the leader lease. */
  onLeadership?: (leadership: Leadership) => void;
}

/**
 * The scheduling service: answers 5.1 / 5.2 / 5.3 routed by access control (`dcc.scheduling.request`), keeps
 * the schedules in the `schedule_shards` KV bucket and their pending runs in the due index, and submits each run when
 * it falls due to SCHEDULED_RUNS, where access control checks it again and sends it on the normal path. It also
 * holds DSP future-dated requests until their time (future-dated/) and serves their cancellation. Every
 * instance answers the requests and the gRPC APIs; one at a time, the holder of the leader lease
 * (leadership.ts), runs the due indexes and the collection plan.
 */
export function createSchedulingService(
  options: SchedulingOptions = {},
): ServiceModule<typeof schedulingConfig> {
  return {
    name: 'scheduling',
    defaultGrpcPort: SCHEDULING_GRPC_PORT,
    config: schedulingConfig,
    async start({ config, nc, requester, log }) {
      const clock =
        options.clock ??
        testOrSystemClock(config.SCHEDULING_TEST_CLOCK_START_MS, config.SCHEDULING_TEST_CLOCK_OFFSET_MS);
      if (!options.clock && clock !== Date.now) log.warn('scheduling runs on a TEST clock');
      const store = await ScheduleStore.open(nc, config.SCHEDULE_SHARDS);
      if (store.shardCount !== config.SCHEDULE_SHARDS) {
        log.warn(
          { recorded: store.shardCount },
          "SCHEDULE_SHARDS differs from the bucket's count, which is kept",
        );
      }
      await carryOverSchedules(nc, store, log);
      const index = await DueIndex.open(nc, config.DUE_BUCKET_MS);
      const publisher = new DurablePublisher(requester);
      // Set once the lease has started; until then nothing leads.
      const lease: { held?: Leadership } = {};
      const leads = () => lease.held?.leads() ?? false;
      const plan = await startCollectionPlan({ config, nc, requester, publisher, clock, log, leads });
      const scheduler = new Scheduler(store, index, publisher, clock, log, plan.submit, leads);
      const responder = new Responder(nc, {
        subject: subjects.schedulingRequest,
        queue: 'scheduling',
        request: RoutedScheduleRequest,
        response: RoutedScheduleResponse,
        handle: (request) => answerScheduleRequest(store, index, request, config.SCHEDULE_READ_LIMIT),
      });
      const futureDated = await startFutureDated({
        nc,
        requester,
        clock,
        bucketMs: config.DUE_BUCKET_MS,
        log,
        leads,
      });
      const leadership = await Leadership.start({
        nc,
        // Unset: unique to this service instance (a test may run two in one process).
        instanceId: config.INSTANCE_ID ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
        ttlMs: config.SCHEDULING_LEASE_TTL_MS,
        log,
        settle: async () => {
          await Promise.all([scheduler.idle(), futureDated.releaser.idle(), plan.idle()]);
        },
      });
      lease.held = leadership;
      const timer = setInterval(() => {
        if (!leads()) return; // a standby: the leader releases
        scheduler.tick().catch((error: unknown) => log.error({ err: error }, 'scheduler pass failed'));
        futureDated.releaser
          .tick()
          .catch((error: unknown) => log.error({ err: error }, 'future-dated release pass failed'));
      }, config.SCHEDULER_TICK_MS);
      timer.unref();
      options.onStarted?.(scheduler, plan);
      options.onFutureDated?.(futureDated);
      options.onLeadership?.(leadership);
      return {
        grpc: [plan.grpc, futureDated.grpc],
        async drain() {
          clearInterval(timer);
          await responder.drain();
          await futureDated.drain();
          // Stops leading (the passes in flight end at their next batch) and deletes the lease: the standby
          // takes over at its next renewal round instead of after the TTL.
          await leadership.stop();
          await plan.stop();
        },
      };
    },
  };
}

/**
 * The system clock, or a test clock: one that starts at `startMs` and runs in real time (one process), or the
 * system clock shifted by `offsetMs` (the same for every process given the same offset, restarts included).
 */
function testOrSystemClock(startMs: number, offsetMs: number): () => number {
  if (startMs > 0) {
    const offset = startMs - Date.now();
    return () => Date.now() + offset;
  }
  if (offsetMs !== 0) return () => Date.now() + offsetMs;
  return Date.now;
}

/** The scheduling service on the system clock. */
export const scheduling = createSchedulingService();
