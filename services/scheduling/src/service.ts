import { DurablePublisher, Responder, subjects } from '@dcc/bus';
import { RoutedScheduleRequest, RoutedScheduleResponse } from '@dcc/proto';
import type { ServiceModule } from '@dcc/service-kit';
import { schedulingConfig } from './config.js';
import { DueIndex } from './due-index.js';
import { startFutureDated, type FutureDatedHolder } from './future-dated/future-dated.js';
import { answerScheduleRequest } from './schedule-requests.js';
import { startCollectionPlan, type CollectionPlan } from './plan/collection-plan.js';
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
}

/**
 * The scheduling service: answers 5.1 / 5.2 / 5.3 routed by access control (`dcc.scheduling.request`), keeps
 * the schedules in the `schedules` KV bucket and their pending runs in the due index, and submits each run when
 * it falls due to SCHEDULED_RUNS, where access control checks it again and sends it on the normal path. It also
 * holds DSP future-dated requests until their time (future-dated/) and serves their cancellation. One
 * instance runs the due index at a time (see docs/architecture.md, scheduling).
 */
export function createSchedulingService(
  options: SchedulingOptions = {},
): ServiceModule<typeof schedulingConfig> {
  return {
    name: 'scheduling',
    defaultGrpcPort: SCHEDULING_GRPC_PORT,
    config: schedulingConfig,
    async start({ config, nc, requester, log }) {
      const clock = options.clock ?? systemOrTestClock(config.SCHEDULING_TEST_CLOCK_START_MS);
      if (!options.clock && config.SCHEDULING_TEST_CLOCK_START_MS > 0) {
        log.warn({ startMs: config.SCHEDULING_TEST_CLOCK_START_MS }, 'scheduling runs on a TEST clock');
      }
      const store = await ScheduleStore.open(nc);
      const index = await DueIndex.open(nc, config.DUE_BUCKET_MS);
      const publisher = new DurablePublisher(requester);
      const plan = await startCollectionPlan({ config, nc, requester, publisher, clock, log });
      const scheduler = new Scheduler(store, index, publisher, clock, log, plan.submit);
      const responder = new Responder(nc, {
        subject: subjects.schedulingRequest,
        queue: 'scheduling',
        request: RoutedScheduleRequest,
        response: RoutedScheduleResponse,
        handle: (request) => answerScheduleRequest(store, index, request, config.SCHEDULE_READ_LIMIT),
      });
      const futureDated = await startFutureDated(nc, requester, clock, config.DUE_BUCKET_MS, log);
      const timer = setInterval(() => {
        scheduler.tick().catch((error: unknown) => log.error({ err: error }, 'scheduler pass failed'));
        futureDated.releaser
          .tick()
          .catch((error: unknown) => log.error({ err: error }, 'future-dated release pass failed'));
      }, config.SCHEDULER_TICK_MS);
      timer.unref();
      options.onStarted?.(scheduler, plan);
      options.onFutureDated?.(futureDated);
      return {
        grpc: [plan.grpc, futureDated.grpc],
        async drain() {
          clearInterval(timer);
          await responder.drain();
          await futureDated.drain();
          await scheduler.tick().catch(() => 0);
          await plan.stop();
        },
      };
    },
  };
}

/** The system clock, or (SCHEDULING_TEST_CLOCK_START_MS set) one that starts there and runs in real time. */
function systemOrTestClock(startMs: number): () => number {
  if (startMs === 0) return Date.now;
  const offset = startMs - Date.now();
  return () => Date.now() + offset;
}

/** The scheduling service on the system clock. */
export const scheduling = createSchedulingService();
