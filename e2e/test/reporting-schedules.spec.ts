// The monthly performance report's Measure 2 over a real nats-server and real gRPC: a supplier creates a DCC
// schedule (SRV 5.1, an on-demand request answered by the scheduling service), its run falls due on the
// scheduling service's test clock, access control takes it in and the meter answers it with the DSPScheduleID;
// the run's response counts under Code Performance Measure 2, the 5.1 under Measure 1.
import './telemetry-setup.js';
import { calendarMonthOf, DAY_MS, eui64FromBigInt } from '@dcc/domain';
import {
  PerformanceMeasure,
  ReportingServiceClient,
  ScheduleFrequency,
  UserRole,
  type MonthlyPerformanceResponse,
  type ServiceAccountingResponse,
  type ServiceResponse,
} from '@dcc/proto';
import { ESTATE_ID_BASES } from '@dcc/registry';
import { reporting } from '@dcc/reporting';
import { createSchedulingService, type Scheduler } from '@dcc/scheduling';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESTATE_PARTIES, HubClient, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const HUB = '90-B3-D5-1F-30-00-00-02';
const MONTH = calendarMonthOf(Date.now());
/** The run's day: two days after today (UTC), on the scheduling service's clock. */
const D = Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS;
const ONE_AM_S = 3_600;

let hub: LocalHub;
let scheduling: RunningService;
let scheduler: Scheduler;
let reports: RunningService;
let client: HubClient;
let now = D;
const received: ServiceResponse[] = [];

beforeAll(async () => {
  hub = await startLocalHub({ meters: 3 });
  scheduling = await startService(
    createSchedulingService({ clock: () => now, onStarted: (s) => (scheduler = s) }),
    { NATS_URL: hub.nats.url, GRPC_PORT: '0', LOG_LEVEL: 'error', SCHEDULER_TICK_MS: '3600000' },
  );
  // Plaintext development mode (the local hub's OPERATIONS_API_PLAINTEXT): reporting.spec.ts refuses Users.
  reports = await startService(reporting, hub.env);
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.push(r));
}, 60_000);

afterAll(async () => {
  client?.close();
  await reports?.stop();
  await scheduling?.stop();
  await hub?.stop();
});

function ask<T>(fn: (cb: (error: ServiceError | null, reply?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((error, reply) => (error ? reject(error) : resolve(reply!))));
}

describe('a DCC schedule in the monthly performance report', () => {
  it("counts the run's response under Measure 2 and the 5.1 that created it under Measure 1", async () => {
    const create = {
      requestId: `${SUPPLIER}:${HUB}:${BigInt(Date.now())}`,
      commandVariant: 8,
      serviceReferenceVariant: '5.1',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: {
        $case: 'createSchedule' as const,
        value: {
          scheduledServiceReferenceVariant: '4.8.1',
          deviceId: eui64FromBigInt(ESTATE_ID_BASES.esme),
          frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
          startDateMs: D,
          endDateMs: 0,
          executionTimeS: ONE_AM_S,
          startDateOffset: -1,
          startTimeS: 0,
          endDateOffset: 0,
          endTimeS: 0,
          purpose: 'MHHS',
        },
      },
    };
    expect((await client.submit(create)).responseCode).toBe('I99');
    const created = await waitFor('the schedule', () =>
      received.find((r) => r.requestId === create.requestId),
    );
    expect(created.responseCode).toBe('I0');
    // The run falls due: the scheduling clock moves past its due bucket and the scheduler runs it.
    now = D + ONE_AM_S * 1_000 + 60_000;
    expect(await scheduler.tick()).toBe(1);
    const run = await waitFor('the run', () =>
      received.find((r) => r.dspScheduleId !== undefined && r.dspScheduleId !== ''),
    );
    expect(run).toMatchObject({ responseCode: 'I0', serviceReferenceVariant: '4.8.1' });

    const operator = new ReportingServiceClient(
      `127.0.0.1:${reports.grpcPort}`,
      credentials.createInsecure(),
    );
    const accounting = () =>
      ask<ServiceAccountingResponse>((cb) =>
        operator.serviceAccounting({ month: MONTH, userId: SUPPLIER }, cb),
      );
    // The run is no Service Request of the User's: accounted is the 5.1, delivered are both responses (the two
    // streams are tallied independently: wait for both).
    const rows = async () =>
      (await accounting()).rows.map((r) => [r.serviceReferenceVariant, r.accepted, r.responsesDelivered]);
    const expected = [
      ['4.8.1', 0, 1],
      ['5.1', 1, 1],
    ];
    await waitFor(
      'both tallies',
      async () => JSON.stringify(await rows()) === JSON.stringify(expected),
      15_000,
    );
    expect(await rows()).toEqual(expected);
    const one = { responses: 1, withinTrt: 1, shareWithinTrt: 1 };
    const performance = await ask<MonthlyPerformanceResponse>((cb) =>
      operator.monthlyPerformance({ month: MONTH }, cb),
    );
    expect(performance.measures).toEqual([
      {
        measure: PerformanceMeasure.PERFORMANCE_MEASURE_ON_DEMAND,
        total: one,
        srvs: [{ serviceReferenceVariant: '5.1', share: one }],
      },
      {
        measure: PerformanceMeasure.PERFORMANCE_MEASURE_FUTURE_DATED,
        total: one,
        srvs: [{ serviceReferenceVariant: '4.8.1', share: one }],
      },
    ]);
    operator.close();
  }, 60_000);
});
