import type { DurablePublisher, Requester } from '@dcc/bus';
import { identityList, tolerantDefinition, type GrpcBinding, type Logger } from '@dcc/service-kit';
import { SchedulingReportsServiceService, type ScheduledRun } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import { parseWindows } from './collection-windows.js';
import { LaneFinder } from './lane-finder.js';
import { Pacer } from './pacer.js';
import type { planConfig } from './plan-config.js';
import { parseLaneRates } from './plan-lanes.js';
import { observePlan } from './plan-metrics.js';
import { PlanQueue } from './plan-queue.js';
import { reportsApi } from './reports-api.js';
import { RunRelease } from './run-release.js';
import { TrtCompliance } from './trt-compliance.js';

type PlanConfig = { [K in keyof typeof planConfig]: z.infer<(typeof planConfig)[K]> };

/** The collection plan as the scheduling service runs it. */
export interface CollectionPlan {
  /** Where the scheduler hands each run that falls due. */
  submit: (run: ScheduledRun) => Promise<void>;
  /** The plan's release, undefined without windows (runs are released as they fall due). */
  pacer: Pacer | undefined;
  /** The reports API for the service's gRPC server. */
  grpc: GrpcBinding;
  /** One tick of the plan: the lanes paced, the compliance counts flushed (tests call it on their clock). */
  tick(): Promise<number>;
  /** Resolves once the plan's pass in flight (if any) has ended. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the plan from its settings: without SCHEDULING_WINDOWS each due run is released at once (counted for
 * TRT compliance); with windows it waits in SCHEDULE_PLAN under its capacity lane (the device's CSP region or
 * SMETS1 cohort, from registration) and the pacer releases it within the windows at each PLAN_TICK_MS.
 */
export async function startCollectionPlan(parts: {
  config: PlanConfig;
  nc: NatsConnection;
  requester: Requester;
  publisher: DurablePublisher;
  clock: () => number;
  log: Pick<Logger, 'warn' | 'error'>;
  /** Whether this instance may release now (the leader lease): a standby's pacer releases nothing. */
  leads: () => boolean;
}): Promise<CollectionPlan> {
  const { config, nc, requester, publisher, clock, log, leads } = parts;
  const windows = parseWindows(config.SCHEDULING_WINDOWS);
  const compliance = await TrtCompliance.open(nc);
  const release = new RunRelease(publisher, compliance, clock);
  let pacer: Pacer | undefined;
  let submit = (run: ScheduledRun) => release.release(run);
  if (windows.length > 0) {
    const queue = await PlanQueue.open(nc);
    const lanes = new LaneFinder(requester);
    pacer = new Pacer({
      queue,
      release: (run) => release.release(run),
      afterPass: () => compliance.flush(),
      windows,
      rates: parseLaneRates(config.SCHEDULING_LANE_RATES, config.SCHEDULING_LANE_RATE),
      clock,
      log,
      leads,
    });
    submit = async (run) => queue.add(await lanes.laneOf(run), run);
  }
  const unobserve = pacer ? observePlan(pacer) : () => undefined;
  // Each tick paces the lanes (with windows) and adds the compliance counts to their records.
  const tick = () => (pacer ? pacer.tick() : compliance.flush().then(() => 0));
  const timer = setInterval(() => {
    tick().catch((error: unknown) => log.error({ err: error }, 'collection plan pass failed'));
  }, config.PLAN_TICK_MS);
  timer.unref();
  return {
    submit,
    pacer,
    grpc: {
      name: 'dcc.v1.SchedulingReportsService',
      definition: tolerantDefinition(SchedulingReportsServiceService),
      implementation: reportsApi({
        compliance,
        pacer,
        access: {
          operatorIds: identityList(config.OPERATOR_IDS, 'OPERATOR_IDS'),
          allowPlaintext: config.REPORTS_API_PLAINTEXT === 'true',
        },
      }),
    },
    tick,
    idle: async () => pacer?.idle(),
    async stop() {
      clearInterval(timer);
      unobserve();
      await pacer?.tick().catch(() => 0);
      await compliance.flush().catch(() => undefined);
    },
  };
}
