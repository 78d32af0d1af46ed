// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { DAY_MS, GrpcStatus, ON_DEMAND_TRT_MS } from '@dcc/domain';
import {
  ScheduleFrequency,
  SchedulingReportsServiceClient,
  UserRole,
  type GetCollectionPlanResponse,
  type GetTrtComplianceResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService } from '@dcc/registration';
import { createSchedulingService, type CollectionPlan, type Scheduler } from '@dcc/scheduling';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import type { ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { loadFeed, mpan, OPERATOR, registrationClient, registrationTls } from './registration-helpers.js';

// The nightly collection plan through the real services: runs of DCC schedules fall due at midnight on the
// scheduling service's test clock, wait in the plan under their CSP region, and are released within the
// collection window (01:00-01:02 here) at no more than the region's configured rate, spread evenly; a window
// that starts late re-spreads; on-demand reads keep priority at the adapter under a busy window; the purpose
// travels to the answers; TRT compliance per User and SRV is reported exactly, to operators and owners only.

const HUB = '90-B3-D5-1F-30-00-00-02';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
/** Central meters 00-DB-12-00-00-00-01-xx (the first 40 the supplier's, the rest the other supplier's). */
const CENTRAL = Array.from({ length: 60 }, (_, i) => `00-DB-12-00-00-00-01-${hex(i)}`);
/** North meters 00-DB-12-00-00-00-02-xx: 80 with schedules, then 3 read on demand. */
const NORTH = Array.from({ length: 83 }, (_, i) => `00-DB-12-00-00-00-02-${hex(i)}`);
const ownerOf = (i: number) => (i < 40 ? SUPPLIER : OTHER_SUPPLIER);

const D = Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS;
const hm = (day: number, h: number, m: number, s = 0) => D + day * DAY_MS + ((h * 60 + m) * 60 + s) * 1000;
const CENTRAL_RATE = 1; // runs per second
const WINDOWS = '01:00-01:02,03:00-03:30';

let hub: LocalHub;
let registration: RunningService;
let scheduling: RunningService;
let scheduler: Scheduler;
let plan: CollectionPlan;
let client: HubClient;
let reports: (as: string) => SchedulingReportsServiceClient;
let now = D;
let counter = 50_000;
const received: ServiceResponse[] = [];
/** When each response was received (real time). */
const receivedAt = new Map<string, number>();

const row = (mpxn: string, device: string, supplier: string, region: 'Central' | 'North') =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: region,
    device: { id: device, status: 'Commissioned' },
    supplier: { party: supplier, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
  });

beforeAll(async () => {
  const tls = await registrationTls([SUPPLIER, OTHER_SUPPLIER]);
  hub = await startLocalHub({
    registration: false,
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
        { id: DNO, roles: ['ED'] },
      ]),
      // The busy region: four commands on its WAN at once, a quarter of a second each.
      CSP_NORTH_CONCURRENCY: '4',
      CSP_NORTH_LATENCY_MS: '250',
    },
  });
  registration = await startService(createRegistrationService(), {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...tls.env,
  });
  const regClient = await registrationClient(registration.grpcPort);
  const feed = [
    ...CENTRAL.map((m, i) => row(mpan(`1100000${String(i).padStart(5, '0')}`), m, ownerOf(i), 'Central')),
    ...NORTH.map((m, i) => row(mpan(`1200000${String(i).padStart(5, '0')}`), m, SUPPLIER, 'North')),
  ];
  const outcome = await loadFeed(regClient, ['# plan', ...feed], { feedId: 'plan' });
  regClient.close();
  expect(outcome.report).toMatchObject({ applied: feed.length, rejected: 0 });
  scheduling = await startService(
    createSchedulingService({
      clock: () => now,
      onStarted: (s, p) => ((scheduler = s), (plan = p)),
    }),
    {
      NATS_URL: hub.nats.url,
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      SCHEDULER_TICK_MS: '3600000',
      PLAN_TICK_MS: '3600000', // the test ticks the plan on its clock
      SCHEDULING_WINDOWS: WINDOWS,
      SCHEDULING_LANE_RATES: `s2-CENTRAL:${CENTRAL_RATE},s2-NORTH:1000`,
      OPERATOR_IDS: OPERATOR,
      ...tls.env,
    },
  );
  reports = (as) =>
    new SchedulingReportsServiceClient(`localhost:${scheduling.grpcPort}`, tls.credentials(as));
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, OTHER_SUPPLIER]) {
    client.responses(user, (r) => {
      received.push(r);
      receivedAt.set(r.requestId, Date.now());
    });
  }
  // Daily 4.8.1 at midnight for every scheduled meter; the supplier's Central ones for settlement (MHHS).
  const creates = [
    ...CENTRAL.map((m, i) => createFor(ownerOf(i), m, i < 40 ? 'MHHS' : '', 0)),
    // The North ones run once, on the first day (ScheduleEndDate the day after).
    ...NORTH.slice(0, 80).map((m) => createFor(SUPPLIER, m, '', 3 * 3_600, D + DAY_MS)),
  ];
  for (let i = 0; i < creates.length; i += 20) {
    await Promise.all(creates.slice(i, i + 20).map((request) => answered(request)));
  }
}, 120_000);

afterAll(async () => {
  client?.close();
  await scheduling?.stop();
  await registration?.stop();
  await hub?.stop();
});

function createFor(
  user: string,
  deviceId: string,
  purpose: string,
  executionTimeS: number,
  endDateMs = 0,
): ServiceRequest {
  return {
    requestId: `${user}:${HUB}:${counter++}`,
    commandVariant: 8,
    serviceReferenceVariant: '5.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: {
      $case: 'createSchedule',
      value: {
        scheduledServiceReferenceVariant: '4.8.1',
        deviceId,
        frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
        startDateMs: D,
        endDateMs,
        executionTimeS,
        startDateOffset: -1,
        startTimeS: 0,
        endDateOffset: 0,
        endTimeS: 0,
        purpose,
      },
    },
  };
}

async function answered(request: ServiceRequest): Promise<ServiceResponse> {
  const ack = await client.submit(request);
  expect(ack.responseCode).toBe('I99');
  const response = await waitFor('the response', () =>
    received.find((r) => r.requestId === request.requestId),
  );
  expect(response.responseCode).toBe('I0');
  return response;
}

/** Run answers received so far for the meters given. */
const runsFor = (meters: readonly string[]) =>
  received.filter((r) => r.dspScheduleId && meters.some((m) => r.requestId.includes(`:${m}:`)));

/** Moves the test clock and lets the scheduler move what fell due into the plan. */
async function dueAt(ms: number): Promise<void> {
  now = ms;
  await scheduler.tick();
}

/** Ticks the plan once a second from `fromMs` to `toMs` (test clock); the runs released at each tick. */
async function paceFrom(fromMs: number, toMs: number): Promise<number[]> {
  const released: number[] = [];
  for (now = fromMs; now <= toMs; now += 1_000) released.push(await plan.tick());
  return released;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function unary<Res>(method: (cb: (error: ServiceError | null, response: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) =>
    method((error, response) => (error ? reject(error) : resolve(response))),
  );
}
const compliance = (as: string, userId = '') =>
  unary<GetTrtComplianceResponse>((cb) => reports(as).getTrtCompliance({ userId }, cb));
const collectionPlan = (as: string) =>
  unary<GetCollectionPlanResponse>((cb) => reports(as).getCollectionPlan({}, cb));
const centralLane = async () => (await collectionPlan(OPERATOR)).lanes.find((l) => l.lane === 's2-CENTRAL');

describe('the collection plan', () => {
  it('night 1: midnight work waits for the window, then leaves at a flat rate within the region’s capacity', async () => {
    await dueAt(hm(0, 0, 1)); // the midnight bucket has ended: 140 runs fell due
    expect(await plan.tick()).toBe(0); // no midnight spike: outside the window nothing leaves
    now = hm(0, 0, 30);
    expect(await plan.tick()).toBe(0);
    expect(await centralLane()).toMatchObject({ waiting: 60, released: 0 });
    const released = await paceFrom(hm(0, 1, 0), hm(0, 1, 2));
    expect(sum(released)).toBe(60);
    // Never above the capacity (1/s), and evenly over the window: 60 runs in 120 s, 15 in each half-minute.
    expect(Math.max(...released)).toBeLessThanOrEqual(CENTRAL_RATE);
    for (let q = 0; q < 4; q++) {
      expect(Math.abs(sum(released.slice(1 + q * 30, 31 + q * 30)) - 15)).toBeLessThanOrEqual(1);
    }
    const answers = await waitFor('60 answers', () =>
      runsFor(CENTRAL).length >= 60 ? runsFor(CENTRAL) : undefined,
    );
    expect(answers.every((r) => r.responseCode === 'I0')).toBe(true);
    // The purpose travels from the schedule to the run's answer.
    const settlement = answers.filter((r) => r.schedulePurpose === 'MHHS');
    expect(settlement).toHaveLength(40);
    expect(settlement.every((r) => r.requestId.startsWith(SUPPLIER))).toBe(true);
    expect(
      answers.filter((r) => !r.schedulePurpose).every((r) => r.requestId.startsWith(OTHER_SUPPLIER)),
    ).toBe(true);
  }, 120_000);

  it('under a busy window on-demand reads of the region are answered within their TRT while scheduled work continues', async () => {
    // The North night: 80 runs released at once (the region's rate is high), queued at its WAN, 4 at a time.
    await dueAt(hm(0, 3, 29, 58));
    await paceFrom(hm(0, 3, 29, 58), hm(0, 3, 30));
    await waitFor('a few North runs answered', () => (runsFor(NORTH).length >= 2 ? true : undefined));
    const reads = NORTH.slice(80).map((deviceId): ServiceRequest => ({
      requestId: `${SUPPLIER}:${deviceId}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: '4.1.1',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: undefined,
    }));
    const started = Date.now();
    const answers = await Promise.all(reads.map((request) => answered(request)));
    const slowest = Math.max(...answers.map((r) => receivedAt.get(r.requestId)! - started));
    const scheduledWhenRead = runsFor(NORTH).length;
    expect(slowest).toBeLessThan(ON_DEMAND_TRT_MS);
    // Far ahead of the queue: 80 runs at 2 scheduled slots × 250 ms need 10 s.
    expect(slowest).toBeLessThan(3_000);
    expect(scheduledWhenRead).toBeLessThan(80);
    const runs = await waitFor(
      'all North runs',
      () => (runsFor(NORTH).length >= 80 ? runsFor(NORTH) : undefined),
      60_000,
    );
    expect(runs.every((r) => r.responseCode === 'I0')).toBe(true);
  }, 120_000);

  it('night 2: a window that starts late re-spreads its work over what is left of it', async () => {
    // The service was down until 01:01: the night's 60 runs go over the 60 s left, at 1/s (twice night 1's).
    await dueAt(hm(1, 1, 1));
    const released = await paceFrom(hm(1, 1, 1), hm(1, 1, 2));
    expect(sum(released)).toBe(60);
    expect(Math.max(...released)).toBeLessThanOrEqual(CENTRAL_RATE);
    expect(sum(released.slice(0, 30))).toBeGreaterThanOrEqual(28);
    expect(await centralLane()).toMatchObject({ waiting: 0, atRisk: 0, released: 120 });
  }, 120_000);

  it('night 3: more than the rest of the window can hold is flagged at risk and caught up after it, at capacity', async () => {
    await dueAt(hm(2, 1, 1, 30));
    // 60 waiting, 30 s left at 1/s: 30 cannot make it within the window.
    const first = await plan.tick();
    expect(await centralLane()).toMatchObject({ waiting: 60 - first, atRisk: 30, capacityPerS: 1 });
    const inWindow = await paceFrom(hm(2, 1, 1, 31), hm(2, 1, 1, 59));
    const after = await paceFrom(hm(2, 1, 2), hm(2, 1, 2, 35));
    expect(Math.max(first, ...inWindow, ...after)).toBeLessThanOrEqual(CENTRAL_RATE);
    expect(first + sum(inWindow)).toBeLessThanOrEqual(30);
    expect(first + sum(inWindow) + sum(after)).toBe(60);
    expect(await centralLane()).toMatchObject({ waiting: 0, atRisk: 0, released: 180 });
  }, 120_000);
});

describe('TRT compliance report', () => {
  it('counts each released run once, in time or late, per User, SRV and purpose', async () => {
    // The service is down from night 3 until 01:00:30 the day after night 4: night 4's runs (due D+3 00:00)
    // are released more than 24 h after they fell due (late); night 5's (due D+4 00:00) in time.
    await dueAt(hm(4, 1, 0, 30));
    await paceFrom(hm(4, 1, 0, 30), hm(4, 1, 2, 40));
    await waitFor('every run answered', () => (runsFor(CENTRAL).length >= 300 ? true : undefined), 60_000);
    const all = await compliance(OPERATOR);
    const central = all.rows.filter((r) => r.serviceReferenceVariant === '4.8.1');
    expect(central).toEqual([
      // North's 80 runs (night 1 of the North schedules, released at 03:30, in time) are the supplier's too.
      { userId: SUPPLIER, serviceReferenceVariant: '4.8.1', purpose: '', released: 80, inTime: 80, late: 0 },
      {
        userId: SUPPLIER,
        serviceReferenceVariant: '4.8.1',
        purpose: 'MHHS',
        released: 200,
        inTime: 160,
        late: 40,
      },
      {
        userId: OTHER_SUPPLIER,
        serviceReferenceVariant: '4.8.1',
        purpose: '',
        released: 100,
        inTime: 80,
        late: 20,
      },
    ]);
    expect(all.perSrv).toEqual([
      { key: '4.8.1', released: 380, inTime: 320, late: 60, compliance: 320 / 380 },
    ]);
    expect(all.perUser.map((t) => [t.key, t.released, t.late])).toEqual([
      [SUPPLIER, 280, 40],
      [OTHER_SUPPLIER, 100, 20],
    ]);
  }, 120_000);

  it('a User reads its own figures only; the plan is for operators only', async () => {
    const own = await compliance(OTHER_SUPPLIER);
    expect(own.rows.map((r) => r.userId)).toEqual([OTHER_SUPPLIER]);
    expect(own.perUser).toEqual([
      { key: OTHER_SUPPLIER, released: 100, inTime: 80, late: 20, compliance: 0.8 },
    ]);
    await expect(compliance(OTHER_SUPPLIER, SUPPLIER)).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
    await expect(collectionPlan(SUPPLIER)).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect((await compliance(OPERATOR, SUPPLIER)).rows.every((r) => r.userId === SUPPLIER)).toBe(true);
  });
});
