// Alerts end to end over a real nats-server and real gRPC: a device alert raised when the device's reminder
// wakes it reaches its User with no other command sent; the alert router sends each alert to the parties the
// dispatching table and registration name at the alert's time, and a redelivery does not duplicate it.
import { generateKeyPairSync, sign } from 'node:crypto';
import { DurablePublisher, Requester, streams, subjects } from '@dcc/bus';
import { ALERT_DISPATCH_TABLE, DccError, GrpcStatus, parseEui64 } from '@dcc/domain';
import {
  AlertKind,
  AlertOccasion,
  AlertParty,
  AlertRoutingServiceClient,
  DeviceAlertRaised,
  PaymentMode,
  UserRole,
  type GetDispatchTableResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estateLines, HubClient, loadEstateFeed, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // supplier of even meters; the key simulated meters trust ("1")
const OTHER_SUPPLIER = '90-B3-D5-1F-30-04-00-00'; // supplier of odd meters
const NETWORK = '90-B3-D5-1F-30-05-00-00'; // distributor of even meters
const OTHER_NETWORK = '90-B3-D5-1F-30-06-00-00'; // distributor of odd meters
const STRANGER = '90-B3-D5-1F-30-09-00-00'; // not a hub User
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const UNKNOWN_DEVICE = 'AA-BB-CC-DD-EE-FF-00-11';

const supplierKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const USERS = [
  {
    id: SUPPLIER,
    roles: ['IS', 'GS', 'ES'],
    signingKeys: [
      { keyId: '1', publicKeyPem: supplierKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
  },
  { id: OTHER_SUPPLIER, roles: ['IS', 'GS', 'ES'] },
  { id: NETWORK, roles: ['ED'] },
  { id: OTHER_NETWORK, roles: ['ED'] },
];

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let requester: Requester;
let publisher: DurablePublisher;
let counter = 7_000;
const received = new Map<string, ServiceResponse[]>(USERS.map((u) => [u.id, []]));
const alertsOf = (user: string) =>
  received.get(user)!.flatMap((r) => (r.body?.$case === 'alert' ? [r.body.value] : []));

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 20,
    parties: { suppliers: [SUPPLIER, OTHER_SUPPLIER], distributors: [NETWORK, OTHER_NETWORK] },
    // Reminders scanned often: a future-dated command's wake comes within a fraction of a second of its time.
    env: { USERS: JSON.stringify(USERS), REMINDER_TICK_MS: '200' },
  });
  client = new HubClient(hub.address);
  for (const { id } of USERS) client.responses(id, (r) => received.get(id)!.push(r));
  nc = await connect({ servers: hub.nats.url });
  requester = new Requester(nc);
  publisher = new DurablePublisher(requester);
});

afterAll(async () => {
  client?.close();
  requester?.close();
  await nc?.close();
  await hub?.stop();
});

/** As an adapter stores an alert it took from a device (alert-egress.ts), with the ALERTS message id given. */
async function raise(device: string, code: string, atMs: number, messageId: string, raisedAtMs = Date.now()) {
  const event: DeviceAlertRaised = {
    deviceId: device,
    alert: { code, atMs, requestId: '' },
    raisedAtMs,
    occasion: AlertOccasion.ALERT_OCCASION_WAKE,
    commandRequestId: '',
  };
  await publisher.publish(subjects.deviceAlert(parseEui64(device)), DeviceAlertRaised, event, messageId);
}

describe('alert egress and routing', () => {
  it("a future-dated command's outcome (8F66) reaches its User with no other command sent", async () => {
    const device = meter(2);
    const executionDateTimeMs = Date.now() + 1_500;
    const cv4: ServiceRequest = {
      requestId: `${SUPPLIER}:${device}:${counter++}`,
      commandVariant: 4,
      serviceReferenceVariant: '1.6',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: {
        $case: 'updatePaymentMode',
        value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT, executionDateTimeMs },
      },
    };
    const transformed = await client.submit(cv4);
    expect(transformed.responseCode).toBe('I0');
    const preCommand = transformed.preCommand!;
    const cv5: ServiceRequest = {
      ...cv4,
      commandVariant: 5,
      body: undefined,
      signedPreCommand: {
        preCommand,
        signature: sign('sha256', preCommand, { key: supplierKey.privateKey, dsaEncoding: 'der' }),
        keyId: '1',
      },
    };
    expect((await client.submit(cv5)).responseCode).toBe('I99');
    const scheduled = await waitFor('the scheduled answer', () =>
      received.get(SUPPLIER)!.find((r) => r.requestId === cv5.requestId && r.body?.$case !== 'alert'),
    );
    expect(scheduled.responseCode).toBe('I0');
    expect(scheduled.alerts.map((a) => a.code)).not.toContain('8F66');

    // Nothing more is sent: the device's reminder wakes it, the adapter stores 8F66, the router delivers it.
    const outcome = await waitFor(
      'the 8F66 alert',
      () =>
        received.get(SUPPLIER)!.find((r) => r.body?.$case === 'alert' && r.body.value.alertCode === '8F66'),
      10_000,
    );
    expect(outcome.requestId).toBe(cv5.requestId);
    expect(outcome.body).toMatchObject({
      $case: 'alert',
      value: {
        kind: AlertKind.ALERT_KIND_DEVICE,
        deviceId: device,
        originatingRequestId: cv5.requestId,
        recipient: AlertParty.ALERT_PARTY_ORIGINATOR,
        dispatchTableVersion: ALERT_DISPATCH_TABLE.version,
      },
    });
    expect(outcome.body?.value).toHaveProperty('mpxn');
    expect((outcome.body?.value as { deviceTimeMs: number }).deviceTimeMs).toBeGreaterThanOrEqual(
      executionDateTimeMs - 1_000,
    );
    // Stored on ALERTS as raised on wake.
    const jsm = await jetstreamManager(nc);
    const stored = await jsm.streams.getMessage(streams.alerts.name, {
      last_by_subj: subjects.deviceAlert(parseEui64(device)),
    });
    const event = DeviceAlertRaised.decode(stored!.data);
    expect(event).toMatchObject({ occasion: AlertOccasion.ALERT_OCCASION_WAKE, alert: { code: '8F66' } });
    // Nobody else hears of it.
    for (const other of [OTHER_SUPPLIER, NETWORK, OTHER_NETWORK]) {
      expect(alertsOf(other).some((a) => a.deviceId === device)).toBe(false);
    }
  });

  it("a supplier gets its meters' alerts and not another supplier's; the network operator gets its own", async () => {
    const at = Date.now();
    await raise(meter(4), '810D', at, 'test-low-credit-4'); // low credit: the supplier
    await raise(meter(5), '810D', at, 'test-low-credit-5');
    await raise(meter(6), '8F57', at, 'test-outage-6'); // supply interrupted: supplier and network operator
    await waitFor('the alerts of meters 4 to 6', () =>
      alertsOf(SUPPLIER).length >= 3 && alertsOf(OTHER_SUPPLIER).length >= 1 && alertsOf(NETWORK).length >= 1
        ? true
        : undefined,
    );
    const devices = (user: string) => alertsOf(user).map((a) => `${a.deviceId} ${a.alertCode}`);
    expect(devices(SUPPLIER)).toEqual(expect.arrayContaining([`${meter(4)} 810D`, `${meter(6)} 8F57`]));
    expect(devices(SUPPLIER)).not.toContain(`${meter(5)} 810D`);
    expect(devices(OTHER_SUPPLIER)).toEqual([`${meter(5)} 810D`]);
    expect(devices(NETWORK)).toEqual([`${meter(6)} 8F57`]);
    expect(devices(OTHER_NETWORK)).toEqual([]);
    const outage = alertsOf(NETWORK)[0]!;
    expect(outage).toMatchObject({
      recipient: AlertParty.ALERT_PARTY_NETWORK_OPERATOR,
      originatingRequestId: '',
    });
    expect(outage.mpxn).not.toBe('');
  });

  it('a redelivered alert is stored once on ALERTS and delivered once to its User', async () => {
    const at = Date.now() - 5_000;
    const before = alertsOf(OTHER_SUPPLIER).length;
    // The adapter stores the same alert twice (a redelivered command or wake): the stream drops the second.
    await raise(meter(7), '8F0F', at, `${meter(7)}:8F0F:${at}:`);
    await raise(meter(7), '8F0F', at, `${meter(7)}:8F0F:${at}:`);
    // A copy under another message id reaches the router (as a redelivery from ALERTS would): the User's
    // Responses stream drops it as a duplicate.
    await raise(meter(7), '8F0F', at, 'test-copy-of-8F0F');
    // A later alert, to know the router has gone past the copies.
    await raise(meter(7), '810D', at + 1, 'test-later-7');
    await waitFor('the later alert', () =>
      alertsOf(OTHER_SUPPLIER).some((a) => a.deviceId === meter(7) && a.alertCode === '810D')
        ? true
        : undefined,
    );
    const disabled = alertsOf(OTHER_SUPPLIER)
      .slice(before)
      .filter((a) => a.deviceId === meter(7) && a.alertCode === '8F0F');
    expect(disabled).toHaveLength(1);
  });

  it("an alert of a device the inventory does not hold reaches nobody but the hub's record", async () => {
    const counts = USERS.map((u) => alertsOf(u.id).length);
    await raise(UNKNOWN_DEVICE, '8F57', Date.now(), 'test-unknown');
    await raise(meter(8), '8095', Date.now(), 'test-after-unknown'); // sag ended: the network operator only
    await waitFor('the alert after the unknown device', () =>
      alertsOf(NETWORK).some((a) => a.deviceId === meter(8)) ? true : undefined,
    );
    expect(USERS.map((u) => alertsOf(u.id).filter((a) => a.deviceId === UNKNOWN_DEVICE).length)).toEqual([
      0, 0, 0, 0,
    ]);
    expect(alertsOf(SUPPLIER).length).toBe(counts[0]);
  });
});

describe('a change of network operator', () => {
  it('re-routes alerts from its effective time, whenever they are routed', async () => {
    const device = meter(10); // NETWORK's since 2020
    const effective = Math.floor(Date.now() / 1000) * 1000 - 60_000;
    const line = JSON.parse(
      estateLines(20, 'uniform', {
        suppliers: [SUPPLIER, OTHER_SUPPLIER],
        distributors: [NETWORK, OTHER_NETWORK],
      })[10]!,
    ) as Record<string, unknown>;
    expect((line.device as { id: string }).id).toBe(device);
    line.networkOperator = { party: OTHER_NETWORK, from: new Date(effective).toISOString() };
    await loadEstateFeed(`127.0.0.1:${hub.registration!.grpcPort}`, [JSON.stringify(line)]);

    // Both routed after the change: the one raised before its effective time still goes to the former operator.
    await raise(device, '8099', effective - 30_000, 'test-sag-before', effective - 30_000);
    await raise(device, '8091', effective + 1_000, 'test-swell-after', effective + 1_000);
    await waitFor('both voltage alerts', () =>
      alertsOf(NETWORK).some((a) => a.deviceId === device) &&
      alertsOf(OTHER_NETWORK).some((a) => a.deviceId === device)
        ? true
        : undefined,
    );
    expect(
      alertsOf(NETWORK)
        .filter((a) => a.deviceId === device)
        .map((a) => a.alertCode),
    ).toEqual(['8099']);
    expect(
      alertsOf(OTHER_NETWORK)
        .filter((a) => a.deviceId === device)
        .map((a) => a.alertCode),
    ).toEqual(['8091']);
  });
});

describe('AlertRoutingService', () => {
  const call = (userId: string) =>
    new Promise<GetDispatchTableResponse>((resolve, reject) => {
      const api = new AlertRoutingServiceClient(hub.address, credentials.createInsecure());
      api.getDispatchTable({ userId }, (error: ServiceError | null, reply?: GetDispatchTableResponse) => {
        api.close();
        if (error) reject(error);
        else resolve(reply!);
      });
    });

  it('returns the dispatching table to an admitted User', async () => {
    const table = await call(NETWORK);
    expect(table.version).toBe(ALERT_DISPATCH_TABLE.version);
    expect(table.rules).toContainEqual(
      expect.objectContaining({
        codeFrom: '8F66',
        codeTo: '8F67',
        recipients: [AlertParty.ALERT_PARTY_ORIGINATOR],
      }),
    );
    expect(table.defaultDeviceRecipients).toEqual([AlertParty.ALERT_PARTY_SUPPLIER]);
  });

  it('refuses a caller that is not an admitted User (E1) and a malformed user id', async () => {
    const stranger = await call(STRANGER).then(
      () => undefined,
      (e: ServiceError) => e,
    );
    expect(stranger?.code).toBe(DccError.duis('E1', '').status);
    const malformed = await call('nobody').then(
      () => undefined,
      (e: ServiceError) => e,
    );
    expect(malformed?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
