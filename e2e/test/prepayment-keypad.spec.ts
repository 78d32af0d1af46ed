// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { decode, subjects } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import {
  DeviceAlertRaised,
  DeviceEdgeServiceClient,
  KeypadDevice,
  Smets2OperationsServiceClient,
  UserRole,
  type KeyInUtrnResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { startService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';

// Prepayment top-ups end to end over real NATS and gRPC: a UTRN sent with 2.2 through access control and the
// SMETS2 adapter, or keyed in at the premises through the adapter's device edge (DeviceEdgeService), credits
// the meter's balance once, whichever way it arrives first.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the development supplier the uniform estate's meters trust
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
// Meter n of the uniform estate is in CSP region n % 3: 0 NORTH, 1 CENTRAL, 2 SOUTH.
const [M0, M1, M3, M6] = [meter(0), meter(1), meter(3), meter(6)];

let hub: LocalHub;
let client: HubClient;
let edge: DeviceEdgeServiceClient;
let operations: Smets2OperationsServiceClient;
let nc: NatsConnection;
const received = new Map<string, ServiceResponse>();
/** Alert codes (hex) each device raised, as stored on ALERTS, in order. */
const alerts = new Map<string, string[]>();
let counter = 5_000;

beforeAll(async () => {
  hub = await startLocalHub({ meters: 12 });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
  const address = `127.0.0.1:${hub.adapter.grpcPort}`;
  edge = new DeviceEdgeServiceClient(address, credentials.createInsecure());
  operations = new Smets2OperationsServiceClient(address, credentials.createInsecure());
  nc = await connect({ servers: hub.nats.url });
  const sub = nc.subscribe(subjects.deviceAlert(parseEui64(M0)).replace(/[^.]+$/, '*'));
  void (async () => {
    for await (const m of sub) {
      const raised = decode(DeviceAlertRaised, m.data, 'alert');
      alerts.set(raised.deviceId, [...(alerts.get(raised.deviceId) ?? []), raised.alert!.code]);
    }
  })();
});

afterAll(async () => {
  edge?.close();
  operations?.close();
  client?.close();
  await nc?.close();
  await hub?.stop();
});

const call = <T>(run: (cb: (error: ServiceError | null, reply?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, reply) => (error ? reject(error) : resolve(reply!))));

function request(srv: string, device: string, body: ServiceRequest['body']): ServiceRequest {
  return {
    requestId: `${SUPPLIER}:${device}:${counter++}`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body,
  };
}

async function submit(srv: string, device: string, body: ServiceRequest['body']) {
  const r = request(srv, device, body);
  expect((await client.submit(r)).responseCode).toBe('I99');
  return r;
}

const answer = (r: ServiceRequest) =>
  waitFor(`the answer to ${r.requestId}`, () => received.get(r.requestId));

async function balancePence(device: string): Promise<string> {
  const read = await answer(await submit('4.18', device, { $case: 'readMeterBalance', value: {} }));
  if (read.body?.$case !== 'meterBalance') throw new Error(`4.18 answered ${JSON.stringify(read)}`);
  return read.body.value.meterBalancePence;
}

const topUp = (device: string, utrn: string) =>
  submit('2.2', device, { $case: 'topUpDevice', value: { utrn } });

const keyIn = (device: string, utrn: string, via = KeypadDevice.KEYPAD_DEVICE_METER) =>
  call<KeyInUtrnResponse>((cb) => edge.keyInUtrn({ deviceId: device, utrn, via }, cb));

/** Waits until the device has raised `code` (hex) `times` times in all. */
const alerted = (device: string, code: string, times = 1) =>
  waitFor(`${device} to raise ${code} ×${times}`, () =>
    (alerts.get(device) ?? []).filter((c) => c === code).length >= times ? true : undefined,
  );

const utrn = (device: string, block: bigint, pence: number) =>
  hub.prepayment.utrn({ supplierId: SUPPLIER, deviceId: device, counter: block << 32n, pence });

const pence = (text: string) => Number(text);

describe('prepayment top-ups', () => {
  it('a UTRN over the WAN (2.2) credits the meter balance', async () => {
    const before = pence(await balancePence(M0));
    const credited = await answer(await topUp(M0, utrn(M0, 1n, 1_250)));
    expect(credited).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'topUp', value: { creditedPence: '1250' } },
    });
    expect(pence(await balancePence(M0))).toBeCloseTo(before + 1_250, 0);
  });

  it('WAN failure: the customer keys the UTRN in, and the 2.2 that arrives later credits nothing (once)', async () => {
    const before = pence(await balancePence(M3)); // M3 is in NORTH
    const code = utrn(M3, 1n, 800);
    await call((cb) => operations.setRegionInService({ region: 'NORTH', inService: false }, cb));
    const held = await topUp(M3, code); // stored, waiting for the region
    const { entryId } = await keyIn(M3, code, KeypadDevice.KEYPAD_DEVICE_PPMID);
    expect(entryId).toMatch(/^[0-9a-f-]{36}$/);
    await alerted(M3, '810E'); // credit added locally
    await call((cb) => operations.setRegionInService({ region: 'NORTH', inService: true }, cb));
    const late = await answer(held);
    expect(late.deviceOutcome?.rejectionReason).toBe('UTRN_DUPLICATE');
    await alerted(M3, '8F51');
    expect(pence(await balancePence(M3))).toBeCloseTo(before + 800, 0);
  });

  it('replay: the same UTRN keyed in twice, or sent again over the WAN, credits once', async () => {
    const before = pence(await balancePence(M6));
    const code = utrn(M6, 1n, 600);
    await keyIn(M6, code);
    await alerted(M6, '810E');
    await keyIn(M6, code);
    await alerted(M6, '8F51');
    const resent = await answer(await topUp(M6, code));
    expect(resent.deviceOutcome?.rejectionReason).toBe('UTRN_DUPLICATE');
    expect(pence(await balancePence(M6))).toBeCloseTo(before + 600, 0);
  });

  it('a UTRN for another device: not authentic on this one (0x8F63), nothing credited', async () => {
    const before = pence(await balancePence(M1));
    await keyIn(M1, utrn(M0, 2n, 500));
    await alerted(M1, '8F63');
    const wan = await answer(await topUp(M1, utrn(M0, 3n, 500)));
    expect(wan.deviceOutcome?.rejectionReason).toBe('UTRN_NOT_AUTHENTIC');
    expect(pence(await balancePence(M1))).toBeCloseTo(before, 0);
  });

  it('the device edge refuses a device that is not in the fleet, and a caller that is not an operator', async () => {
    await expect(keyIn('00-DB-12-00-00-FF-FF-FF', utrn(M0, 4n, 100))).rejects.toMatchObject({ code: 5 });
    const strict = await startService(smets2Adapter, { ...hub.env, OPERATIONS_API_PLAINTEXT: 'false' });
    const other = new DeviceEdgeServiceClient(`127.0.0.1:${strict.grpcPort}`, credentials.createInsecure());
    try {
      await expect(
        call((cb) => other.keyInUtrn({ deviceId: M0, utrn: utrn(M0, 5n, 100), via: 1 }, cb)),
      ).rejects.toMatchObject({ code: 16 });
    } finally {
      other.close();
      await strict.stop();
    }
  });
});
