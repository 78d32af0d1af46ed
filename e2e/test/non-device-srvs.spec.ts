// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  SmiDeviceStatus,
  UserRole,
  type RegistrationServiceClient,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';

// Non-device SRVs answered by registration, routed through the DCC User Interface: command variant 8 to the
// hub's own id; the answer arrives on the User's Responses stream after the I99.

const HUB = '90-B3-D5-1F-30-00-00-02'; // access control's default HUB_ID
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-03-00-00';
const M1 = '00-DB-12-00-00-00-00-01';
const M2 = '00-DB-12-00-00-00-00-02';
const M3 = '00-DB-12-00-00-00-00-03';
const NEW_DEVICE = '00-DB-12-00-00-00-00-04';
const UNKNOWN = '00-DB-12-00-00-00-00-09';
const P1 = mpan('100000000101');
const P2 = mpan('100000000102');
const P3 = mpan('100000000103');

const row = (mpxn: string, device: string) =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: SUPPLIER, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
  });

let hub: LocalHub;
let registration: RunningService | undefined;
let regClient: RegistrationServiceClient;
let client: HubClient;
let counter = 5_000;
const received = new Map<string, ServiceResponse>();

async function startRegistration(): Promise<void> {
  registration = await startService(createRegistrationService(), {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  regClient = await registrationClient(registration.grpcPort);
}

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false, // this test starts its own with its own feed
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: DNO, roles: ['ED'] },
        { id: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
      ]),
    },
  });
  await startRegistration();
  const outcome = await loadFeed(regClient, ['# non-device SRVs', row(P1, M1), row(P2, M2), row(P3, M3)], {
    feedId: 'non-device',
  });
  expect(outcome.report).toMatchObject({ applied: 3, rejected: 0 });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, DNO, OTHER_SUPPLIER])
    client.responses(user, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client?.close();
  regClient?.close();
  await registration?.stop();
  await hub?.stop();
});

const readInventory = (
  query: { deviceId?: string; mpxn?: string },
  overrides: Partial<ServiceRequest> = {},
  user = SUPPLIER,
): ServiceRequest => ({
  requestId: `${user}:${HUB}:${counter++}`,
  commandVariant: 8,
  serviceReferenceVariant: '8.2',
  userRole: user === DNO ? UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR : UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: { $case: 'readInventory', value: { deviceId: query.deviceId ?? '', mpxn: query.mpxn ?? '' } },
  ...overrides,
});

const refusal = (request: ServiceRequest): Promise<DccError> => client.refusal(request);

/** Submits, expects I99, and returns the response stored for the User. */
async function answered(request: ServiceRequest): Promise<ServiceResponse> {
  const ack = await client.submit(request);
  expect(ack.responseCode).toBe('I99');
  return waitFor('the response', () => received.get(request.requestId));
}

describe('8.2 Read Inventory routed to registration (CV 8)', () => {
  it('by device id: I99, then the inventory as the I0 on the Responses stream', async () => {
    const request = readInventory({ deviceId: M1 });
    const response = await answered(request);
    expect(response).toMatchObject({
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      serviceReferenceVariant: '8.2',
      responseId: `${HUB}:${SUPPLIER}:${request.requestId.split(':')[2]}`,
    });
    expect(response.body?.$case).toBe('inventory');
    const devices = response.body?.$case === 'inventory' ? response.body.value.devices : [];
    expect(devices.map((d) => [d.deviceId, d.mpxn])).toEqual([[M1, P1]]);
  });

  it('by MPxN, by a network operator: the devices of the point', async () => {
    const response = await answered(readInventory({ mpxn: P2 }, {}, DNO));
    expect(response.responseCode).toBe('I0');
    const devices = response.body?.$case === 'inventory' ? response.body.value.devices : [];
    expect(devices.map((d) => d.deviceId)).toEqual([M2]);
  });

  it("an unknown device: registration's refusal as the response", async () => {
    const response = await answered(readInventory({ deviceId: UNKNOWN }));
    expect(response.responseCode).toBe('E19');
    expect(response.statusCode).not.toBe(GrpcStatus.OK);
    expect(response.detail).toContain(UNKNOWN);
    expect(response.body).toBeUndefined();
  });

  it('another target than the hub: INVALID_ARGUMENT naming HUB_ID', async () => {
    const error = await refusal(
      readInventory({ deviceId: M1 }, { requestId: `${SUPPLIER}:${M1}:${counter++}` }),
    );
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toContain('HUB_ID');
  });

  it('command variant 1: E12', async () => {
    const error = await refusal(readInventory({ deviceId: M1 }, { commandVariant: 1 }));
    expect(error.responseCode).toBe('E12');
  });

  it('registration down: UNAVAILABLE, nothing stored; back up, the same request is answered', async () => {
    await registration!.stop();
    registration = undefined;
    const request = readInventory({ deviceId: M1 });
    const error = await refusal(request);
    expect(error.status).toBe(GrpcStatus.UNAVAILABLE);
    expect(error.message).toMatch(/registration unavailable/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.has(request.requestId)).toBe(false);
    regClient.close();
    await startRegistration();
    expect((await answered(request)).responseCode).toBe('I0');
  });
});

const routed = (srv: string, body: NonNullable<ServiceRequest['body']>, user = SUPPLIER): ServiceRequest => ({
  requestId: `${user}:${HUB}:${counter++}`,
  commandVariant: 8,
  serviceReferenceVariant: srv,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body,
});

const decommission = (deviceId: string, user = SUPPLIER) =>
  routed('8.3', { $case: 'decommissionDevice', value: { deviceId, reason: 'removed' } }, user);

async function inventoryOf(deviceId: string) {
  const response = await answered(readInventory({ deviceId }));
  expect(response.responseCode).toBe('I0');
  return response.body?.$case === 'inventory' ? response.body.value.devices : [];
}

describe('8.3, 8.4 and 12.2 routed to registration (CV 8), ownership checked there', () => {
  it('8.3 by the registered supplier: I0, and 8.2 shows the device Decommissioned', async () => {
    const response = await answered(decommission(M3));
    expect(response).toMatchObject({
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      serviceReferenceVariant: '8.3',
    });
    expect(response.body?.$case).toBe('deviceDecommissioned');
    const devices = await inventoryOf(M3);
    expect(devices.map((d) => [d.deviceId, d.status])).toEqual([
      [M3, SmiDeviceStatus.SMI_DEVICE_STATUS_DECOMMISSIONED],
    ]);
  });

  it("8.3 retried on a device already Decommissioned: registration's FAILED_PRECONDITION as the response", async () => {
    const response = await answered(decommission(M3));
    expect(response.responseCode).toBe('');
    expect(response.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(response.detail).toContain('already Decommissioned');
  });

  it('8.3 by another supplier: E4 as the response, the device unchanged', async () => {
    const response = await answered(decommission(M1, OTHER_SUPPLIER));
    expect(response.responseCode).toBe('E4');
    expect(response.body).toBeUndefined();
    const devices = await inventoryOf(M1);
    expect(devices[0]?.status).toBe(SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED);
  });

  it('12.2 then 8.2: the pre-notified device is Pending', async () => {
    const response = await answered(
      routed('12.2', {
        $case: 'devicePrenotification',
        value: {
          deviceId: NEW_DEVICE,
          deviceType: 'ESME',
          model: 'E-2000',
          firmwareVersion: '1.0.0',
          smetsGeneration: 'SMETS2',
          manufacturer: 'AB01',
          smetsChtsVersion: 'SMETS V4.1',
          esmeVariant: 'A',
        },
      }),
    );
    expect(response.responseCode).toBe('I0');
    expect(response.body?.$case).toBe('devicePrenotified');
    const devices = await inventoryOf(NEW_DEVICE);
    expect(devices.map((d) => [d.deviceId, d.status])).toEqual([
      [NEW_DEVICE, SmiDeviceStatus.SMI_DEVICE_STATUS_PENDING],
    ]);
  });

  it('12.2 by a network operator (ED): E4 as the response', async () => {
    const request = routed(
      '12.2',
      {
        $case: 'devicePrenotification',
        value: {
          deviceId: '00-DB-12-00-00-00-00-05',
          deviceType: 'ESME',
          model: 'E-2000',
          firmwareVersion: '1.0.0',
          smetsGeneration: 'SMETS2',
          manufacturer: 'AB01',
          smetsChtsVersion: 'SMETS V4.1',
          esmeVariant: 'A',
        },
      },
      DNO,
    );
    const response = await answered({ ...request, userRole: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR });
    expect(response.responseCode).toBe('E4');
  });

  it('8.4 by the registered supplier updates the firmware version', async () => {
    const response = await answered(
      routed('8.4', {
        $case: 'updateInventory',
        value: {
          deviceId: M1,
          status: SmiDeviceStatus.SMI_DEVICE_STATUS_UNSPECIFIED,
          model: '',
          firmwareVersion: '4.5.6',
          mpxn: '',
          commsHubId: '',
          reason: '',
          deleteDevice: false,
        },
      }),
    );
    expect(response.responseCode).toBe('I0');
    const updated = response.body?.$case === 'inventoryUpdated' ? response.body.value.device : undefined;
    expect(updated?.firmwareVersion).toBe('4.5.6');
    expect((await inventoryOf(M1))[0]?.firmwareVersion).toBe('4.5.6');
  });
});
