// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { DAY_MS, DccError, GrpcStatus, SCHEDULE_ID_PATTERN } from '@dcc/domain';
import {
  ScheduleFrequency,
  UserRole,
  type CreateSchedule,
  type RegistrationServiceClient,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService } from '@dcc/registration';
import { createSchedulingService, type Scheduler } from '@dcc/scheduling';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';

// DCC schedules through the DCC User Interface: 5.1 / 5.2 / 5.3 routed to the scheduling service (CV 8, target
// the hub), and each run submitted when it falls due on the scheduling service's clock (a test clock here),
// checked again by access control at its due time, answered by the meter with the DSPScheduleID.

const HUB = '90-B3-D5-1F-30-00-00-02';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-09-00-00';
const RSA_USER = '90-B3-D5-1F-30-05-00-00';
const M1 = '00-DB-12-00-00-00-00-01';
const M2 = '00-DB-12-00-00-00-00-02';
const UNKNOWN = '00-DB-12-00-00-00-00-09';

/** The first run's day: two days after today (UTC), so every run is after the requests' real time. */
const D = Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS;
const ONE_AM = 3_600;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000', '');

const row = (mpxn: string, device: string, supplier = SUPPLIER, from = '2024-01-01') =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: supplier, from },
    networkOperator: { party: DNO, from: '2020-01-01' },
  });

let hub: LocalHub;
let registration: RunningService;
let regClient: RegistrationServiceClient;
let scheduling: RunningService | undefined;
let scheduler: Scheduler;
let client: HubClient;
let now = D;
let counter = 10_000;
const received: ServiceResponse[] = [];

async function startScheduling(): Promise<void> {
  scheduling = await startService(
    createSchedulingService({ clock: () => now, onStarted: (s) => (scheduler = s) }),
    { NATS_URL: hub.nats.url, GRPC_PORT: '0', LOG_LEVEL: 'error', SCHEDULER_TICK_MS: '3600000' },
  );
}

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false,
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: DNO, roles: ['ED'] },
        { id: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
        { id: RSA_USER, roles: ['RSA'] },
      ]),
    },
  });
  registration = await startService(createRegistrationService(), {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  regClient = await registrationClient(registration.grpcPort);
  // M2 changes supplier at noon on the second run's day: its third run is no longer the first supplier's.
  const feed = [row(mpan('100000000201'), M1), row(mpan('100000000202'), M2)];
  feed.push(row(mpan('100000000202'), M2, OTHER_SUPPLIER, iso(D + DAY_MS + DAY_MS / 2)));
  const outcome = await loadFeed(regClient, ['# scheduling', ...feed], { feedId: 'scheduling' });
  expect(outcome.report).toMatchObject({ applied: 3, rejected: 0 });
  await startScheduling();
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, DNO, OTHER_SUPPLIER]) client.responses(user, (r) => received.push(r));
});

afterAll(async () => {
  client?.close();
  regClient?.close();
  await scheduling?.stop();
  await registration?.stop();
  await hub?.stop();
});

const daily = (srv: string, deviceId: string, overrides: Partial<CreateSchedule> = {}): CreateSchedule => ({
  scheduledServiceReferenceVariant: srv,
  deviceId,
  frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
  startDateMs: D,
  endDateMs: 0,
  executionTimeS: ONE_AM,
  startDateOffset: -1,
  startTimeS: 0,
  endDateOffset: 0,
  endTimeS: 0,
  purpose: 'MHHS',
  ...overrides,
});

const ROLE_OF: Record<string, UserRole> = {
  [SUPPLIER]: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  [OTHER_SUPPLIER]: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  [DNO]: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
  [RSA_USER]: UserRole.USER_ROLE_REGISTERED_SUPPLIER_AGENT,
};

const routed = (srv: string, body: NonNullable<ServiceRequest['body']>, user = SUPPLIER): ServiceRequest => ({
  requestId: `${user}:${HUB}:${counter++}`,
  commandVariant: 8,
  serviceReferenceVariant: srv,
  userRole: ROLE_OF[user]!,
  body,
});
const create = (schedule: CreateSchedule, user = SUPPLIER) =>
  routed('5.1', { $case: 'createSchedule', value: schedule }, user);
const read = (dspScheduleId: string, user = SUPPLIER, deviceId = '') =>
  routed('5.2', { $case: 'readSchedule', value: { dspScheduleId, deviceId } }, user);
const remove = (dspScheduleId: string, user = SUPPLIER) =>
  routed('5.3', { $case: 'deleteSchedule', value: { dspScheduleId } }, user);

const refusal = (request: ServiceRequest): Promise<DccError> => client.refusal(request);

/** Submits, expects I99, and returns the response stored for the User. */
async function answered(request: ServiceRequest): Promise<ServiceResponse> {
  const ack = await client.submit(request);
  expect(ack.responseCode).toBe('I99');
  return waitFor('the response', () => received.find((r) => r.requestId === request.requestId));
}

async function created(schedule: CreateSchedule, user = SUPPLIER): Promise<string> {
  const response = await answered(create(schedule, user));
  expect(response.responseCode).toBe('I0');
  if (response.body?.$case !== 'scheduleCreated') throw new Error(`no schedule id: ${response.detail}`);
  return response.body.value.dspScheduleId;
}

/** The due time a run's RequestID counter names (runCounter). */
const dueOf = (r: ServiceResponse) => Number(BigInt(r.requestId.split(':')[2]!) / 1_000_000n);
const runsOf = (id: string) => received.filter((r) => r.dspScheduleId === id);

/** The due index's bucket (DUE_BUCKET_MS default): a run starts once its minute has passed. */
const BUCKET_MS = 60_000;

/** Moves the scheduling clock to just after `ms`'s bucket and runs what is due. */
async function advanceTo(ms: number): Promise<number> {
  now = ms + BUCKET_MS;
  return scheduler.tick();
}

describe('5.1 / 5.2 / 5.3 routed to the scheduling service', () => {
  it('a supplier creates, reads and deletes a 4.8.1 schedule; another User sees none of it', async () => {
    const id = await created(daily('4.8.1', M1));
    expect(id).toMatch(SCHEDULE_ID_PATTERN);
    const readBack = await answered(read(id));
    expect(readBack.responseCode).toBe('I0');
    const schedules = readBack.body?.$case === 'schedulesRead' ? readBack.body.value.schedules : [];
    expect(schedules.map((s) => [s.dspScheduleId, s.schedule?.deviceId, s.schedule?.purpose])).toEqual([
      [id, M1, 'MHHS'],
    ]);
    const byDevice = await answered(read('', SUPPLIER, M1));
    expect(byDevice.body?.$case === 'schedulesRead' && byDevice.body.value.schedules.length).toBe(1);
    const foreign = await answered(read(id, OTHER_SUPPLIER));
    expect(foreign.statusCode).toBe(GrpcStatus.NOT_FOUND);
    expect((await answered(remove(id, OTHER_SUPPLIER))).statusCode).toBe(GrpcStatus.NOT_FOUND);
    const deleted = await answered(remove(id));
    expect(deleted.responseCode).toBe('I0');
    expect(deleted.body).toEqual({ $case: 'scheduleDeleted', value: { dspScheduleId: id } });
    expect((await answered(read(id))).statusCode).toBe(GrpcStatus.NOT_FOUND);
  });

  it('a network operator schedules 4.8.3 on a meter of its network', async () => {
    const id = await created(daily('4.8.3', M1), DNO);
    expect((await answered(remove(id, DNO))).responseCode).toBe('I0');
  });

  it('refused before I99 with its code: non-schedulable SRV, role not eligible, device unknown or not the User’s', async () => {
    const onDemandOnly = await refusal(create(daily('4.1.1', M1)));
    expect(onDemandOnly.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(onDemandOnly.message).toMatch(/not a DCC-schedulable SRV/);
    expect((await refusal(create(daily('4.8.3', M1)))).responseCode).toBe('E2'); // IS may not send 4.8.3
    expect((await refusal(create(daily('4.8.1', M1), RSA_USER))).responseCode).toBe('E2'); // RSA: no 5.1
    expect((await refusal(create(daily('4.8.1', UNKNOWN)))).responseCode).toBe('E19');
    expect((await refusal(create(daily('4.8.1', M1), OTHER_SUPPLIER))).responseCode).toBe('E4');
    const badPeriod = await refusal(create(daily('4.8.1', M1, { startDateOffset: 0 })));
    expect(badPeriod.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    const noId = await refusal(remove(''));
    expect(noId.status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('scheduling down: UNAVAILABLE, nothing stored', async () => {
    await scheduling!.stop();
    scheduling = undefined;
    const request = create(daily('4.8.1', M1));
    const error = await refusal(request);
    expect(error.status).toBe(GrpcStatus.UNAVAILABLE);
    expect(error.message).toMatch(/scheduling unavailable/);
    await startScheduling();
  });
});

describe('runs', () => {
  it('each period runs once at its time, reads the day before, and its answer carries the DSPScheduleID', async () => {
    const id = await created(daily('4.8.1', M1, { executionTimeS: 2 * ONE_AM }));
    expect(await advanceTo(D + ONE_AM * 1000)).toBe(0); // not yet
    await advanceTo(D + 2 * ONE_AM * 1000);
    const first = await waitFor('the first run', () => runsOf(id)[0]);
    expect(first).toMatchObject({ responseCode: 'I0', serviceReferenceVariant: '4.8.1', dspScheduleId: id });
    expect(first.requestId.startsWith(`${SUPPLIER}:${M1}:`)).toBe(true);
    expect(first.body?.$case).toBe('importProfile');
    expect(await advanceTo(D + 2 * ONE_AM * 1000 + 600_000)).toBe(0); // the same day again: nothing
    await advanceTo(D + DAY_MS + 2 * ONE_AM * 1000);
    await waitFor('the second run', () => runsOf(id)[1]);
    await new Promise((r) => setTimeout(r, 300));
    expect(runsOf(id)).toHaveLength(2);
    expect(new Set(runsOf(id).map((r) => r.requestId)).size).toBe(2);
    await answered(remove(id));
  });

  it('access is checked again at each run: after a change of supplier the old supplier gets E4, not data', async () => {
    now = D; // the clock goes back only because this file's runs are independent schedules
    const id = await created(daily('4.8.1', M2));
    await advanceTo(D + ONE_AM * 1000);
    await advanceTo(D + DAY_MS + ONE_AM * 1000);
    await waitFor('two runs', () => (runsOf(id).length >= 2 ? true : undefined));
    await advanceTo(D + 2 * DAY_MS + ONE_AM * 1000); // M2 is OTHER_SUPPLIER's since noon yesterday
    const third = await waitFor('the third run', () => runsOf(id)[2]);
    expect(
      runsOf(id)
        .slice(0, 2)
        .map((r) => r.responseCode),
    ).toEqual(['I0', 'I0']);
    expect(third).toMatchObject({ responseCode: 'E4', dspScheduleId: id });
    expect(third.body).toBeUndefined();
    await answered(remove(id));
  });

  it('a restart of the scheduling service runs nothing twice and loses nothing', async () => {
    now = D;
    const id = await created(daily('4.10', M1));
    await scheduling!.stop();
    now = D + 3 * DAY_MS + ONE_AM * 1000 + BUCKET_MS; // four periods fall due while it is down
    await startScheduling();
    expect(await scheduler.tick()).toBe(4); // one pass catches up every period missed
    await waitFor('four runs', () => (runsOf(id).length >= 4 ? true : undefined));
    await scheduling!.stop();
    await startScheduling();
    await scheduler.tick();
    await new Promise((r) => setTimeout(r, 500));
    // One run per period, each named by its due time (runCounter).
    expect(runsOf(id).map(dueOf).sort()).toEqual([0, 1, 2, 3].map((p) => D + p * DAY_MS + ONE_AM * 1000));
  });
});
