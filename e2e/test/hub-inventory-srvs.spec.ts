// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { GrpcStatus } from '@dcc/domain';
import {
  RegistrationCspRegion,
  SmiDeviceStatus,
  UserRole,
  type RegistrationServiceClient,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { loadFeed, mpan, mprn, registrationClient, registrationTls } from './registration-helpers.js';
import { routedRequests } from './routed-requests.js';

// 8.4 DeleteDevice, 8.6 Service Opt In and 12.1 Request WAN Matrix through the DCC User Interface: command
// variant 8 to the hub's own id, answered by registration from the estate it holds.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-03-00-00';
const M1 = '00-DB-12-00-00-00-01-01';
const M2 = '00-DB-12-00-00-00-01-02';
const PENDING_METER = '00-DB-12-00-00-00-01-03';
const CHF1 = '00-DB-12-00-00-00-01-0A';
const CHF2 = '00-DB-12-00-00-00-01-0B';
const GSME = '00-DB-12-00-00-00-01-04';
const PRENOTIFIED = '00-DB-12-00-00-00-01-05';
const PRENOTIFIED_CHF = '00-DB-12-00-00-00-01-06';
const P1 = mpan('100000000201');
const P2 = mpan('100000000202');
const P3 = mpan('100000000203');
const G1 = mprn('20000201');

const premises = (postCode: string, addressIdentifier: string) => ({ postCode, addressIdentifier });
const point = (mpxn: string, fuel: 'electricity' | 'gas', extra: Record<string, unknown>) =>
  JSON.stringify({
    mpxn,
    fuel,
    meterKind: 'SMETS2',
    cspRegion: 'North',
    supplier: { party: SUPPLIER, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
    ...extra,
  });

const FEED = [
  '# 8.4 DeleteDevice, 8.6, 12.1',
  // A dual-fuel premises whose comms hub is Commissioned: the SM WAN reaches it.
  point(P1, 'electricity', {
    ...premises('M22 0RR', 'Threapwood Road'),
    device: { id: M1, status: 'Commissioned' },
    commsHub: { id: CHF1, status: 'Commissioned' },
  }),
  point(G1, 'gas', {
    ...premises('M22 0RR', 'Threapwood Road'),
    device: { id: GSME, status: 'Commissioned' },
    commsHub: { id: CHF1, status: 'Commissioned' },
  }),
  // Same postcode, another street; its comms hub is not commissioned yet.
  point(P2, 'electricity', {
    ...premises('M22 0RR', '1 Other Street'),
    device: { id: M2, status: 'Commissioned' },
    commsHub: { id: CHF2, status: 'InstalledNotCommissioned' },
  }),
  // A meter delivered to a premises but not installed: Pending at its point.
  point(P3, 'electricity', {
    ...premises('SW1A 1AA', 'Downing Street'),
    device: { id: PENDING_METER, status: 'Pending' },
  }),
];

let hub: LocalHub;
let registration: RunningService;
let regClient: RegistrationServiceClient;
let client: HubClient;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false,
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: DNO, roles: ['ED'] },
        { id: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
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
  const outcome = await loadFeed(regClient, FEED, { feedId: 'hub-inventory' });
  expect(outcome.report).toMatchObject({ applied: 4, rejected: 0 });
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

const ROLES: Record<string, UserRole> = {
  IS: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  GS: UserRole.USER_ROLE_GAS_SUPPLIER,
  ED: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
};

const { routed, answered } = routedRequests(() => ({ client, received }), 9_000);
const request = (
  srv: string,
  body: NonNullable<ServiceRequest['body']>,
  user = SUPPLIER,
  role: keyof typeof ROLES = 'IS',
): ServiceRequest => routed(srv, body, user, ROLES[role]!);

const wanMatrix = (
  postCode: string,
  addressIdentifier = '',
  user = SUPPLIER,
  role: keyof typeof ROLES = 'IS',
) => request('12.1', { $case: 'requestWanMatrix', value: { postCode, addressIdentifier } }, user, role);

const update = (deviceId: string, extra: Record<string, unknown> = {}) => ({
  $case: 'updateInventory' as const,
  value: {
    deviceId,
    status: SmiDeviceStatus.SMI_DEVICE_STATUS_UNSPECIFIED,
    model: '',
    firmwareVersion: '',
    mpxn: '',
    commsHubId: '',
    reason: '',
    deleteDevice: false,
    ...extra,
  },
});
const deleteDevice = (deviceId: string) => update(deviceId, { deleteDevice: true });

const optIn = (deviceId: string, extra: Record<string, unknown> = {}) => ({
  $case: 'serviceOptIn' as const,
  value: {
    deviceId,
    deviceType: 'ESME',
    importMpxn: P1,
    secondaryImportMpan: '',
    exportMpan: '',
    optInDateMs: Date.UTC(2025, 0, 1),
    ...extra,
  },
});

const inventoryOf = async (deviceId: string) =>
  answered(request('8.2', { $case: 'readInventory', value: { deviceId, mpxn: '' } }));

const prenotify = (deviceId: string, deviceType: string) =>
  answered(
    request('12.2', {
      $case: 'devicePrenotification',
      value: {
        deviceId,
        deviceType,
        model: 'M',
        firmwareVersion: '1',
        smetsGeneration: 'SMETS2',
        manufacturer: '1234',
        smetsChtsVersion: 'SMETS2 v4.1',
        esmeVariant: deviceType === 'ESME' ? 'A' : '',
      },
    }),
  );

describe('12.1 Request WAN Matrix from the estate registration holds', () => {
  it('a premises whose comms hub is Commissioned: its CSP region, coverage shown, likelihood High', async () => {
    const response = await answered(wanMatrix('m220rr', 'threapwood  road'));
    expect(response.responseCode).toBe('I0');
    expect(response.body).toEqual({
      $case: 'wanMatrix',
      value: {
        postCode: 'm220rr',
        addressIdentifier: 'threapwood  road',
        cspRegion: RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
        coverageAvailability: true,
        connectivityLikelihood: 'High',
        premisesCount: 2,
      },
    });
  });

  it('a premises whose comms hub is not commissioned: coverage not shown, likelihood not known', async () => {
    const response = await answered(wanMatrix('M22 0RR', '1 Other Street', DNO, 'ED'));
    expect(response.body?.$case === 'wanMatrix' && response.body.value).toMatchObject({
      coverageAvailability: false,
      connectivityLikelihood: '',
      premisesCount: 1,
    });
  });

  it('the whole postcode: every premises the hub holds there', async () => {
    const response = await answered(wanMatrix('M22 0RR'));
    expect(response.body?.$case === 'wanMatrix' && response.body.value).toMatchObject({
      coverageAvailability: true,
      premisesCount: 3,
    });
  });

  it('an address with no premises in the estate: NOT_FOUND as the response', async () => {
    const response = await answered(wanMatrix('EH1 1AA'));
    expect(response.statusCode).toBe(GrpcStatus.NOT_FOUND);
    expect(response.body).toBeUndefined();
  });

  it('refuses a malformed postcode or a missing one before I99', async () => {
    expect((await client.refusal(wanMatrix('NOT A POSTCODE'))).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((await client.refusal(wanMatrix(''))).message).toMatch(/postCode is missing/);
    expect((await client.refusal(wanMatrix('M22 0RR', 'x'.repeat(101)))).message).toMatch(
      /addressIdentifier/,
    );
  });
});

describe('8.4 DeleteDevice', () => {
  it('a pre-notified device leaves the inventory; reading it then is E19', async () => {
    expect((await prenotify(PRENOTIFIED, 'PPMID')).responseCode).toBe('I0');
    const response = await answered(request('8.4', deleteDevice(PRENOTIFIED)));
    expect(response.responseCode).toBe('I0');
    expect(response.body?.$case === 'inventoryUpdated' && response.body.value.device?.deviceId).toBe(
      PRENOTIFIED,
    );
    expect((await inventoryOf(PRENOTIFIED)).responseCode).toBe('E19');
  });

  it('a Pending meter at a point: only its registered supplier (E4), then the point has no meter', async () => {
    expect((await answered(request('8.4', deleteDevice(PENDING_METER), OTHER_SUPPLIER))).responseCode).toBe(
      'E4',
    );
    expect((await answered(request('8.4', deleteDevice(PENDING_METER)))).responseCode).toBe('I0');
    const point = await answered(
      request('8.2', { $case: 'readInventory', value: { deviceId: '', mpxn: P3 } }),
    );
    expect(point.body?.$case === 'inventory' && point.body.value.devices).toEqual([]);
  });

  it('refuses an installed device, a comms hub, an unknown device, and a network operator', async () => {
    const installed = await answered(request('8.4', deleteDevice(M2)));
    expect(installed.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(installed.detail).toMatch(/only a Pending device/);
    expect((await prenotify(PRENOTIFIED_CHF, 'CHF')).responseCode).toBe('I0');
    const hubRefusal = await answered(request('8.4', deleteDevice(PRENOTIFIED_CHF)));
    expect(hubRefusal.detail).toMatch(/keeps every CHF/);
    expect((await answered(request('8.4', deleteDevice('00-DB-12-00-00-00-01-FF')))).responseCode).toBe(
      'E19',
    );
    expect((await answered(request('8.4', deleteDevice(PRENOTIFIED_CHF), DNO, 'ED'))).responseCode).toBe(
      'E4',
    );
  });

  it('refuses DeleteDevice with anything else to update, before I99', async () => {
    const error = await client.refusal(
      request('8.4', update(M2, { deleteDevice: true, firmwareVersion: '2' })),
    );
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toMatch(/deleteDevice goes alone: firmwareVersion/);
  });
});

describe('8.6 Service Opt In', () => {
  it('a device in DCC service has nothing to opt back in to: FAILED_PRECONDITION', async () => {
    const response = await answered(request('8.6', optIn(M1)));
    expect(response.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(response.detail).toMatch(/not opted out/);
  });

  it('an opted-out (Withdrawn) device comes back InstalledNotCommissioned, for its registered supplier only', async () => {
    const withdraw = update(M1, { status: SmiDeviceStatus.SMI_DEVICE_STATUS_WITHDRAWN });
    expect((await answered(request('8.4', withdraw))).responseCode).toBe('I0');
    expect((await answered(request('8.6', optIn(M1), OTHER_SUPPLIER))).responseCode).toBe('E4');
    const response = await answered(request('8.6', optIn(M1, { exportMpan: mpan('100000000299') })));
    expect(response.responseCode).toBe('I0');
    expect(response.body?.$case === 'serviceOptedIn' && response.body.value.device?.status).toBe(
      SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED,
    );
  });

  it('refuses a request that disagrees with the inventory: type, meter point, a future date', async () => {
    const type = await answered(request('8.6', optIn(M2, { importMpxn: P2, deviceType: 'GSME' })));
    expect(type.detail).toMatch(/is a ESME in the inventory, not a GSME/);
    const point = await answered(request('8.6', optIn(M2)));
    expect(point.statusCode).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(point.detail).toMatch(/not device .* meter point/);
    const future = await answered(
      request('8.6', optIn(M2, { importMpxn: P2, optInDateMs: Date.UTC(2999, 0, 1) })),
    );
    expect(future.detail).toMatch(/after today/);
  });

  it('refuses bad bodies before I99, and roles other than the suppliers with E2', async () => {
    const refusal = (extra: Record<string, unknown>) => client.refusal(request('8.6', optIn(M1, extra)));
    expect((await refusal({ deviceType: 'IHD' })).message).toMatch(/deviceType must be one of/);
    expect((await refusal({ importMpxn: '12AB' })).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((await refusal({ exportMpan: '123' })).message).toMatch(/exportMpan/);
    expect((await refusal({ importMpxn: G1, exportMpan: mpan('100000000299') })).message).toMatch(
      /goes with an electricity importMpxn/,
    );
    expect((await refusal({ optInDateMs: Date.UTC(2025, 0, 1, 12) })).message).toMatch(/optInDateMs/);
    expect((await client.refusal(request('8.6', optIn(M1), DNO, 'ED'))).responseCode).toBe('E2');
  });
});
