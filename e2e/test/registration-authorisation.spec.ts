// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { streams } from '@dcc/bus';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  UserRole,
  type GetSwitchResponse,
  type RegistrationServiceClient,
  type RequestSwitchResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService, ManualClock, type RegistrationHandle } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import { call, loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';

// access-control with registration checks asks the registration service (same NATS) about every device
// request: E19 (not in the inventory), E4 (no appointment for the role now), E5 (SMI status).

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the development supplier
const OTHER_SUPPLIER = '90-B3-D5-1F-30-05-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00'; // the development network operator
const OTHER_DNO = '90-B3-D5-1F-30-0B-00-00'; // holds the appointment on M2; not a hub User here

// Meters registered below, except M9.
const M1 = '00-DB-12-00-00-00-00-01';
const M2 = '00-DB-12-00-00-00-00-02';
const M3 = '00-DB-12-00-00-00-00-03'; // Decommissioned
const M4 = '00-DB-12-00-00-00-00-04'; // changes supplier during the test
const M9 = '00-DB-12-00-00-00-00-09'; // unknown to the inventory

const P4 = mpan('100000000104');
const row = (n: number, device: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    mpxn: n === 4 ? P4 : mpan(`10000000010${n}`),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: SUPPLIER, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
    ...extra,
  });
const FEED = [
  '# registration-authorisation test estate',
  row(1, M1),
  row(2, M2, { networkOperator: { party: OTHER_DNO, from: '2020-01-01' } }),
  row(3, M3, { device: { id: M3, status: 'Decommissioned' } }),
  row(4, M4),
];

// Registration's own clock (objection windows, switch completion) starts a month ago; access control asks about
// its real "now", so whatever registration completes on its clock is in force for access control.
const clock = new ManualClock(Math.floor((Date.now() - 30 * 86_400_000) / 1000) * 1000);

let hub: LocalHub;
let registration: RunningService | undefined;
let registrationHandle: RegistrationHandle | undefined;
let regClient: RegistrationServiceClient;
let client: HubClient;
let nc: NatsConnection;
let counter = 1_000;
const received = new Map<string, ServiceResponse>();

async function startRegistration(): Promise<void> {
  registration = await startService(
    createRegistrationService({ clock, onStarted: (handle) => (registrationHandle = handle) }),
    {
      NATS_URL: hub.nats.url,
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      REGISTRY_CAPACITY: '1000',
      ...(await registrationTls()).env,
    },
  );
  regClient = await registrationClient(registration.grpcPort);
}

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false, // this test starts its own, on a test clock, with its own feed
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS', 'ES'] },
        { id: DNO, roles: ['ED', 'GT'] },
        { id: OTHER_SUPPLIER, roles: ['IS'] },
      ]),
    },
  });
  nc = await connect({ servers: hub.nats.url });
  await startRegistration();
  const outcome = await loadFeed(regClient, FEED, { feedId: 'authorisation' });
  expect(outcome.report).toMatchObject({ applied: 4, rejected: 0 });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, OTHER_SUPPLIER, DNO]) {
    client.responses(user, (r) => received.set(r.requestId, r));
  }
});

afterAll(async () => {
  client?.close();
  regClient?.close();
  await registration?.stop();
  await nc?.close();
  await hub?.stop();
});

const read = (user: string, device: string, role = UserRole.USER_ROLE_IMPORT_SUPPLIER): ServiceRequest => ({
  ...readImportRegisters(user, device, counter++),
  userRole: role,
});

/** The DUIS code (or I99) the hub answers a submission with; a refusal without one as `grpc-<status>`. */
async function outcome(request: ServiceRequest): Promise<string> {
  try {
    return (await client.submit(request)).responseCode;
  } catch (error) {
    const failure = error as DccError;
    return failure.responseCode ?? `grpc-${failure.status}`;
  }
}

const refusal = (request: ServiceRequest): Promise<DccError> => client.refusal(request);

/** Last sequence of METER_MAIL: moves with every stored request, even once the adapter has consumed it. */
async function meterMailLastSeq(): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(streams.meterMail.name)).state.last_seq;
}

describe('access control asks registration (registration checks)', () => {
  it('the supplier of the meter point: I99, then the I0', async () => {
    const request = read(SUPPLIER, M1);
    expect(await outcome(request)).toBe('I99');
    const response = await waitFor('the I0', () => received.get(request.requestId));
    expect(response.responseCode).toBe('I0');
  });

  it('another admitted supplier on the same meter: E4', async () => {
    const error = await refusal(read(OTHER_SUPPLIER, M1));
    expect(error.responseCode).toBe('E4');
    expect(error.status).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(error.message).toMatch(new RegExp(`${OTHER_SUPPLIER}.*${M1}`));
  });

  it('a network operator: E4 where another operator holds the point, I99 on its own', async () => {
    expect(await outcome(read(DNO, M2, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR))).toBe('E4');
    const own = read(DNO, M1, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR);
    expect(await outcome(own)).toBe('I99');
    expect((await waitFor('the I0', () => received.get(own.requestId))).responseCode).toBe('I0');
  });

  it('a decommissioned device: E5, whoever asks', async () => {
    const error = await refusal(read(SUPPLIER, M3));
    expect(error.responseCode).toBe('E5');
    expect(error.message).toMatch(/Decommissioned/);
    // without the appointment the User learns E4, not the device's status
    expect(await outcome(read(OTHER_SUPPLIER, M3))).toBe('E4');
  });

  it('a device in the fleet but not in the inventory: E19', async () => {
    const error = await refusal(read(SUPPLIER, M9));
    expect(error.responseCode).toBe('E19');
    expect(error.message).toMatch(/Smart Metering Inventory/);
  });

  it('after a change of supplier completes: the old supplier E4, the new one I99', async () => {
    expect(await outcome(read(SUPPLIER, M4))).toBe('I99');
    expect(await outcome(read(OTHER_SUPPLIER, M4))).toBe('E4');
    const requested = await call<unknown, RequestSwitchResponse>(regClient, 'requestSwitch', {
      mpxn: P4,
      gainingSupplierId: OTHER_SUPPLIER,
      effectiveMs: 0,
    });
    const switchId = requested.switch!.switchId;
    // still pending: the old supplier keeps the meter
    expect(await outcome(read(SUPPLIER, M4))).toBe('I99');
    // registration's clock passes the objection window (still before real time) and its tick completes it
    clock.set(Math.max(requested.switch!.objectionDeadlineMs, requested.switch!.effectiveMs));
    expect(clock.now()).toBeLessThan(Date.now());
    await registrationHandle!.tick();
    const done = await call<unknown, GetSwitchResponse>(regClient, 'getSwitch', { switchId });
    expect(done.switch!.state).toBe('completed');

    expect(await outcome(read(SUPPLIER, M4))).toBe('E4');
    const gained = read(OTHER_SUPPLIER, M4);
    expect(await outcome(gained)).toBe('I99');
    expect((await waitFor('the I0', () => received.get(gained.requestId))).responseCode).toBe('I0');
  });

  it('registration stopped: UNAVAILABLE "registration unavailable", nothing stored', async () => {
    await registration!.stop();
    registration = undefined;
    const before = await meterMailLastSeq();
    const request = read(SUPPLIER, M1);
    const error = await refusal(request);
    expect(error.status).toBe(GrpcStatus.UNAVAILABLE);
    expect(error.responseCode).toBeUndefined();
    expect(error.message).toMatch(/registration unavailable/);
    expect(await meterMailLastSeq()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.has(request.requestId)).toBe(false);
    // registration back: the same RequestID goes through (the refusal stored nothing, not even its id)
    await startRegistration();
    expect(await outcome(request)).toBe('I99');
  });
});
