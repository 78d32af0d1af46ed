import { Requester, requestTyped, streams, subjects } from '@dcc/bus';
import {
  AuthoriseRegistrationRequest,
  AuthoriseRegistrationResponse,
  FeedLineOutcome,
  PointStatus,
  RegistrationAppointmentRole,
  RegistrationCspRegion,
  RegistrationMeterKind,
  SmiDeviceStatus,
  UserRole,
  UpdateInventoryRequest,
  ReadInventoryRequest,
  DecommissionDeviceRequest,
  type GetHistoryResponse,
  type GetHolderResponse,
  type GetSwitchResponse,
  type RegistrationServiceClient,
  type RequestSwitchResponse,
  RegistrationEvent,
  RegistrationEventBatch,
} from '@dcc/proto';
import { createRegistrationService, ManualClock } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { status as GrpcCode, type ServiceError } from '@grpc/grpc-js';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  DNO,
  loadFeed,
  mpan,
  mprn,
  registrationClient,
  registrationTls,
  SUPPLIER_A,
  SUPPLIER_B,
} from './registration-helpers.js';

const START = Date.parse('2025-06-04T10:00:00Z'); // a Wednesday
const clock = new ManualClock(START);

let nats: NatsServer;
let service: RunningService;
let client: RegistrationServiceClient;
let nc: NatsConnection;

const env = async () => ({
  NATS_URL: nats.url,
  GRPC_PORT: '0',
  LOG_LEVEL: 'warn',
  REGISTRY_CAPACITY: '10000',
  COS_TICK_MS: '100',
  ...(await registrationTls()).env,
});

async function startRegistration(): Promise<void> {
  service = await startService(createRegistrationService({ clock }), await env());
  client?.close();
  client = await registrationClient(service.grpcPort);
}

/**
 * The events stored in the record (of one kind of change when named): a change of several events is one
 * message (a batch), so messages are decoded, not counted.
 */
async function storedEvents(kind?: NonNullable<RegistrationEvent['change']>['$case']): Promise<number> {
  const info = await (await jetstreamManager(nc)).streams.info(streams.registration.name);
  if (info.state.messages === 0) return 0;
  const consumer = await jetstream(nc).consumers.get(streams.registration.name);
  const messages = await consumer.consume();
  let events = 0;
  for await (const msg of messages) {
    const stored = msg.subject.endsWith('.batch')
      ? RegistrationEventBatch.decode(msg.data).events
      : [RegistrationEvent.decode(msg.data)];
    events += stored.filter((e) => kind === undefined || e.change?.$case === kind).length;
    if (msg.seq >= info.state.last_seq) break;
  }
  await messages.close();
  return events;
}

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  await startRegistration();
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await nc?.close();
  await nats?.stop();
});

const E1 = mpan('100000000001');
const E2 = mpan('100000000002');
const G1 = mprn('39384244');
const row = (mpxn: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    mpxn,
    fuel: mpxn.length === 13 ? 'electricity' : 'gas',
    meterKind: 'SMETS2',
    cspRegion: 'North',
    supplier: { party: SUPPLIER_A, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
    ...extra,
  });
const feed = [
  '# registration feed, 2025-06-04',
  row(E1, { device: { id: '00-DB-12-00-00-00-10-01', status: 'Commissioned' } }),
  row('1312345678111'), // bad MPAN check digit
  '{"mpxn": "1000000000', // malformed
  row(G1, { device: { id: '00-DB-12-00-00-00-10-02', status: 'Commissioned' }, status: 'withdrawn' }),
  row(E2, { colour: 'blue' }), // unknown field
  '',
];

describe('registration feeds', () => {
  it('applies good rows and rejects bad ones with their line numbers', async () => {
    const outcome = await loadFeed(client, feed, { feedId: 'day-1' });
    expect(outcome.error).toBeUndefined();
    expect(outcome.lines.map((l) => [l.lineNumber, l.outcome])).toEqual([
      [1, FeedLineOutcome.FEED_LINE_OUTCOME_SKIPPED],
      [2, FeedLineOutcome.FEED_LINE_OUTCOME_APPLIED],
      [3, FeedLineOutcome.FEED_LINE_OUTCOME_REJECTED],
      [4, FeedLineOutcome.FEED_LINE_OUTCOME_REJECTED],
      [5, FeedLineOutcome.FEED_LINE_OUTCOME_APPLIED],
      [6, FeedLineOutcome.FEED_LINE_OUTCOME_REJECTED],
      [7, FeedLineOutcome.FEED_LINE_OUTCOME_SKIPPED],
    ]);
    expect(outcome.lines[1]!.pointStatus).toBe(PointStatus.POINT_STATUS_ENROLLED);
    expect(outcome.lines[4]!.pointStatus).toBe(PointStatus.POINT_STATUS_WITHDRAWN);
    expect(outcome.report).toMatchObject({
      feedId: 'day-1',
      lines: 7,
      applied: 2,
      unchanged: 0,
      rejected: 3,
    });
    expect(outcome.report!.rejections.map((r) => r.lineNumber)).toEqual([3, 4, 6]);
    expect(outcome.report!.rejections[0]!.reason).toMatch(/check digit/);
    expect(outcome.report!.rejections[1]!.reason).toMatch(/not JSON/);
    expect(outcome.report!.rejections[2]!.reason).toMatch(/colour/);
    // every change is an event in the record: point, device, two appointments for each good row
    expect(await storedEvents()).toBe(8);
    const history = await call<unknown, GetHistoryResponse>(client, 'getHistory', { mpxn: E1 });
    expect(history.devices.map((d) => [d.deviceId, d.status])).toEqual([
      ['00-DB-12-00-00-00-10-01', SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED],
    ]);
    await expect(call(client, 'getHistory', { mpxn: E2 })).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
  });

  it('relaxes check digits for a feed that asks', async () => {
    const outcome = await loadFeed(client, [row('1312345678111')], { relaxCheckDigits: true });
    expect(outcome.report).toMatchObject({ applied: 1, rejected: 0 });
  });

  it('is idempotent on re-send: nothing changes, no new event', async () => {
    const before = await storedEvents();
    const outcome = await loadFeed(client, feed, { feedId: 'day-1 again' });
    expect(outcome.report).toMatchObject({ applied: 0, unchanged: 2, rejected: 3, eventsRecorded: 0 });
    expect(await storedEvents()).toBe(before);
  });

  it('answers effective-dated holder queries at the boundaries', async () => {
    const update = await loadFeed(client, [
      row(E1, { supplier: { party: SUPPLIER_B, from: '2025-01-01T00:00:00Z' } }),
    ]);
    expect(update.report).toMatchObject({ applied: 1 });
    const holder = (atMs: number) =>
      call<unknown, GetHolderResponse>(client, 'getHolder', {
        mpxn: E1,
        role: RegistrationAppointmentRole.REGISTRATION_APPOINTMENT_ROLE_SUPPLIER,
        atMs,
      });
    const boundary = Date.parse('2025-01-01T00:00:00Z');
    expect(await holder(boundary - 1)).toEqual({
      partyId: SUPPLIER_A,
      fromMs: Date.parse('2024-01-01'),
      toMs: boundary,
    });
    expect(await holder(boundary)).toEqual({ partyId: SUPPLIER_B, fromMs: boundary, toMs: 0 });
    expect((await holder(Date.parse('2024-01-01') - 1)).partyId).toBe('');
    // an appointment before the current one is refused (the record only moves forward)
    const late = await loadFeed(client, [row(E1, { supplier: { party: SUPPLIER_A, from: '2024-06-01' } })]);
    expect(late.report!.rejections[0]!.reason).toMatch(/precedes the current holding/);
  });
});

describe('NATS authorise lookup', () => {
  it('answers ok, E4 and E19 with the device status', async () => {
    const requester = new Requester(nc);
    const ask = (userId: string, userRole: UserRole, deviceId: string, instantMs = 0) =>
      requestTyped(
        requester,
        subjects.registrationAuthorise,
        { codec: AuthoriseRegistrationRequest, message: { userId, userRole, deviceId, instantMs } },
        AuthoriseRegistrationResponse,
      );
    const device = '00-DB-12-00-00-00-10-01';
    expect(await ask(SUPPLIER_B, UserRole.USER_ROLE_IMPORT_SUPPLIER, device)).toEqual({
      responseCode: '',
      deviceStatus: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
      mpxn: E1,
      tenancyStartMs: 0,
      // start of SUPPLIER_B's appointment, for data segregation
      holdingStartMs: Date.parse('2025-01-01T00:00:00Z'),
      // the inventory's facts, from which access control checks E11 and routes
      deviceType: 'ESME',
      generation: RegistrationMeterKind.REGISTRATION_METER_KIND_SMETS2,
      smets1Cohort: 0,
      cspRegion: RegistrationCspRegion.REGISTRATION_CSP_REGION_NORTH,
      commsHubId: '',
      gpfId: '',
      esmeVariant: '',
    });
    // the previous supplier, now and before the switch date
    expect((await ask(SUPPLIER_A, UserRole.USER_ROLE_IMPORT_SUPPLIER, device)).responseCode).toBe('E4');
    expect(
      (await ask(SUPPLIER_A, UserRole.USER_ROLE_IMPORT_SUPPLIER, device, Date.parse('2024-12-31')))
        .responseCode,
    ).toBe('');
    expect((await ask(SUPPLIER_B, UserRole.USER_ROLE_GAS_SUPPLIER, device)).responseCode).toBe('E4');
    expect((await ask(DNO, UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR, device)).responseCode).toBe('');
    expect(
      (await ask(SUPPLIER_B, UserRole.USER_ROLE_IMPORT_SUPPLIER, '00-DB-12-00-00-00-99-99')).responseCode,
    ).toBe('E19');
    // change of tenancy is recorded, queryable, and reported to access control
    const tenancy = Date.parse('2025-05-01T00:00:00Z');
    await call(client, 'recordTenancy', { mpxn: E1, startedAtMs: tenancy });
    expect((await ask(SUPPLIER_B, UserRole.USER_ROLE_IMPORT_SUPPLIER, device)).tenancyStartMs).toBe(tenancy);
    expect(
      (await call<unknown, GetHistoryResponse>(client, 'getHistory', { mpxn: E1 })).tenancyStartsMs,
    ).toEqual([tenancy]);
    requester.close();
  });
});

describe('inventory SRVs', () => {
  it('follows the SMI lifecycle and refuses other transitions with FAILED_PRECONDITION', async () => {
    const id = '00-DB-12-00-00-00-20-01';
    const prenotified = await call<unknown, { device: { status: number } }>(client, 'devicePrenotification', {
      deviceId: id,
      deviceType: 'IHD',
      model: 'D1',
      firmwareVersion: '0.9',
      smetsGeneration: 'SMETS2',
      manufacturer: 'AB01',
      smetsChtsVersion: 'SMETS V4.1',
      esmeVariant: '',
    });
    expect(prenotified.device.status).toBe(SmiDeviceStatus.SMI_DEVICE_STATUS_PENDING);
    const skip = call(
      client,
      'updateInventory',
      UpdateInventoryRequest.fromPartial({
        deviceId: id,
        status: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
      }),
    );
    await expect(skip).rejects.toMatchObject({ code: GrpcCode.FAILED_PRECONDITION });
    for (const status of [
      SmiDeviceStatus.SMI_DEVICE_STATUS_WHITELISTED,
      SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED,
      SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
    ]) {
      await call(
        client,
        'updateInventory',
        UpdateInventoryRequest.fromPartial({ deviceId: id, status, mpxn: E1, firmwareVersion: '1.0' }),
      );
    }
    const read = await call<
      unknown,
      { devices: { deviceId: string; status: number; firmwareVersion: string }[] }
    >(client, 'readInventory', ReadInventoryRequest.fromPartial({ mpxn: E1 }));
    expect(read.devices.find((d) => d.deviceId === id)).toMatchObject({
      status: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
      firmwareVersion: '1.0',
    });
    await call(client, 'decommissionDevice', { deviceId: id, reason: 'removed' });
    const again = call(client, 'decommissionDevice', DecommissionDeviceRequest.fromPartial({ deviceId: id }));
    await expect(again).resolves.toBeDefined(); // already decommissioned: nothing to change
    const revive = call(
      client,
      'updateInventory',
      UpdateInventoryRequest.fromPartial({
        deviceId: id,
        status: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED,
      }),
    );
    await expect(revive).rejects.toMatchObject({ code: GrpcCode.FAILED_PRECONDITION });
    await expect(
      call(
        client,
        'readInventory',
        ReadInventoryRequest.fromPartial({ deviceId: '00-DB-12-00-00-00-77-77' }),
      ),
    ).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
  });
});

describe('change of supplier across a restart', () => {
  it('completes a pending switch that fell due while the service was stopped', async () => {
    const requested = await call<unknown, RequestSwitchResponse>(client, 'requestSwitch', {
      mpxn: G1,
      gainingSupplierId: SUPPLIER_B,
      effectiveMs: 0,
    });
    const switchId = requested.switch!.switchId;
    expect(requested.switch).toMatchObject({
      state: 'pending',
      irrevocable: true,
      losingSupplierId: SUPPLIER_A,
    });
    const objection = call(client, 'objectSwitch', { switchId, partyId: SUPPLIER_A, reason: 'no' });
    await expect(objection).rejects.toMatchObject({
      code: GrpcCode.FAILED_PRECONDITION,
    } as Partial<ServiceError>);

    await service.stop();
    clock.advance(8 * 24 * 3600 * 1000);
    await startRegistration();

    const after = await call<unknown, GetSwitchResponse>(client, 'getSwitch', { switchId });
    expect(after.switch).toMatchObject({ state: 'completed', effectiveMs: requested.switch!.effectiveMs });
    const holder = await call<unknown, GetHolderResponse>(client, 'getHolder', {
      mpxn: G1,
      role: RegistrationAppointmentRole.REGISTRATION_APPOINTMENT_ROLE_SUPPLIER,
      atMs: 0,
    });
    expect(holder).toMatchObject({ partyId: SUPPLIER_B, fromMs: requested.switch!.effectiveMs });
    expect(await storedEvents('definitiveReadingRequired')).toBe(1);
  });

  it('completes an electricity switch on the periodic tick once its window has passed', async () => {
    const requested = await call<unknown, RequestSwitchResponse>(client, 'requestSwitch', {
      mpxn: E1,
      gainingSupplierId: SUPPLIER_A,
      effectiveMs: 0,
    });
    const switchId = requested.switch!.switchId;
    await service.stop();
    await startRegistration(); // restart inside the window: still pending
    expect((await call<unknown, GetSwitchResponse>(client, 'getSwitch', { switchId })).switch!.state).toBe(
      'pending',
    );
    clock.set(requested.switch!.objectionDeadlineMs);
    await expect
      .poll(
        async () => (await call<unknown, GetSwitchResponse>(client, 'getSwitch', { switchId })).switch!.state,
      )
      .toBe('completed');
  });
});
