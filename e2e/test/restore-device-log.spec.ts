// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { GrpcStatus } from '@dcc/domain';
import type { ServiceRequest } from '@dcc/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpan, mprn } from './registration-helpers.js';
import {
  ELECTRICITY_SUPPLIER,
  GAS_SUPPLIER,
  HUB,
  startTwoSupplierHub,
  type TwoSupplierHub,
} from './two-supplier-hub.js';

// 8.12.1 Restore HAN Device Log and 8.12.2 Restore GPF Device Log through the whole hub (gRPC, a real
// nats-server): after a comms hub and its GPF were replaced, the User names the old one; access control fills the
// old device's saved log from registration's inventory before I99, and the new device installs it on its log.

const ELECTRICITY = mpan('100000000301');
const GAS = mprn('10000301');
const OTHER_ELECTRICITY = mpan('100000000302');
const ESME = '00-DB-12-00-00-00-03-01';
const GSME = '00-DB-12-00-00-00-03-02';
const OLD_CHF = '00-DB-12-00-00-00-03-03';
const OLD_GPF = '00-DB-12-00-00-00-03-04';
const PPMID = '00-DB-12-00-00-00-03-05';
const NEW_CHF = '00-DB-12-00-00-00-03-13';
const NEW_GPF = '00-DB-12-00-00-00-03-14';
const OTHER_CHF = '00-DB-12-00-00-00-03-23';
const OTHER_ESME = '00-DB-12-00-00-00-03-21';
const UNKNOWN = '00-DB-12-00-00-00-03-99';

const device = (id: string, status: string, type?: string) => ({ id, status, ...(type ? { type } : {}) });
const on = (id: string, type?: string) => device(id, 'Commissioned', type);
const smets2 = { meterKind: 'SMETS2', cspRegion: 'Central' };
const electricitySupplier = { party: ELECTRICITY_SUPPLIER, from: '2024-01-01' };
const gasSupplier = { party: GAS_SUPPLIER, from: '2024-01-01' };
// A dual-fuel premises whose comms hub (and GPF) were replaced: the new ones are installed, the old ones Withdrawn,
// and its meters and PPMID are still joined through the old ones (the restore moves them); and another premises
// with a hub of its own.
const FEED = [
  { mpxn: ELECTRICITY, fuel: 'electricity', commsHub: on(NEW_CHF), supplier: electricitySupplier },
  { mpxn: GAS, fuel: 'gas', commsHub: on(NEW_CHF), gpf: on(NEW_GPF), supplier: gasSupplier },
  {
    mpxn: ELECTRICITY,
    fuel: 'electricity',
    commsHub: device(OLD_CHF, 'Withdrawn'),
    device: on(ESME),
    hanDevices: [on(PPMID, 'PPMID')],
    supplier: electricitySupplier,
  },
  {
    mpxn: GAS,
    fuel: 'gas',
    commsHub: device(OLD_CHF, 'Withdrawn'),
    gpf: device(OLD_GPF, 'Withdrawn'),
    device: on(GSME),
    hanDevices: [on(PPMID, 'PPMID')],
    supplier: gasSupplier,
  },
  {
    mpxn: OTHER_ELECTRICITY,
    fuel: 'electricity',
    commsHub: on(OTHER_CHF),
    device: on(OTHER_ESME),
    supplier: electricitySupplier,
  },
].map((line) => JSON.stringify({ ...smets2, ...line }));

let hub: TwoSupplierHub;

beforeAll(async () => {
  hub = await startTwoSupplierHub(FEED, 'restore-device-log', 9_000);
});

afterAll(async () => {
  await hub?.stop();
});

const request = (user: string, target: string, srv: string, body: ServiceRequest['body']) =>
  hub.request(user, target, srv, body);
const answered = (r: ServiceRequest) => hub.answered(r);

const restoreHan = (
  target: string,
  oldChfId: string,
  savedEntries: { deviceId: string; deviceType: string }[] = [],
) =>
  request(ELECTRICITY_SUPPLIER, target, '8.12.1', {
    $case: 'restoreHanDeviceLog',
    value: { oldChfId, savedEntries },
  });
const restoreGpf = (target: string, oldGpfId: string) =>
  request(GAS_SUPPLIER, target, '8.12.2', {
    $case: 'restoreGpfDeviceLog',
    value: { oldGpfId, savedEntries: [] },
  });
const readDeviceLog = (user: string, target: string) =>
  request(user, target, '8.9', { $case: 'readDeviceLog', value: { readSecurityDetails: true } });

/** The comms hub 8.2 Read Inventory records for each device. */
async function commsHubsOf(ids: string[]): Promise<string[]> {
  const hubs: string[] = [];
  for (const deviceId of ids) {
    const read = await answered(
      request(ELECTRICITY_SUPPLIER, HUB, '8.2', { $case: 'readInventory', value: { deviceId, mpxn: '' } }),
    );
    expect(read.responseCode).toBe('I0');
    const devices = read.body?.$case === 'inventory' ? read.body.value.devices : [];
    hubs.push(devices.find((d) => d.deviceId === deviceId)?.commsHubId ?? '');
  }
  return hubs;
}

/** The device ids of a device log as 8.9 reads it. */
async function logOf(user: string, target: string): Promise<string[]> {
  const read = await answered(readDeviceLog(user, target));
  expect(read.responseCode).toBe('I0');
  return read.body?.$case === 'hanDeviceLog' ? read.body.value.entries.map((e) => e.deviceId) : [];
}

describe('8.12.1 Restore HAN Device Log', () => {
  it("restores the old CHF's log (the devices the inventory joins to its points) onto the new CHF, whose they become", async () => {
    expect(await logOf(ELECTRICITY_SUPPLIER, NEW_CHF)).toEqual([]);
    expect(await commsHubsOf([ESME, PPMID, GSME])).toEqual([OLD_CHF, OLD_CHF, OLD_CHF]);
    const restored = await answered(restoreHan(NEW_CHF, OLD_CHF));
    expect(restored.responseCode).toBe('I0');
    expect(restored.body).toMatchObject({
      $case: 'hanDeviceLogRestored',
      value: { oldDeviceId: OLD_CHF, restoredCount: 3 },
    });
    const entries = restored.body?.$case === 'hanDeviceLogRestored' ? restored.body.value.entries : [];
    expect(entries.map((e) => e.deviceId)).toEqual([ESME, PPMID, GSME]);
    // The new CHF keeps it: 8.9 reads it back, the restored entries without an install code.
    const read = await answered(readDeviceLog(ELECTRICITY_SUPPLIER, NEW_CHF));
    expect(read.body).toMatchObject({ $case: 'hanDeviceLog' });
    const log = read.body?.$case === 'hanDeviceLog' ? read.body.value.entries : [];
    expect(log.map((e) => [e.deviceId, e.installCodeUsed])).toEqual([
      [ESME, false],
      [PPMID, false],
      [GSME, false],
    ]);
    // The inventory moved them to the new CHF before the I0 was stored (the device edge's report).
    expect(await commsHubsOf([ESME, PPMID, GSME])).toEqual([NEW_CHF, NEW_CHF, NEW_CHF]);
  });

  it.each([
    [
      'an old CHF the inventory does not hold',
      () => restoreHan(NEW_CHF, UNKNOWN),
      GrpcStatus.NOT_FOUND,
      'E19',
    ],
    [
      'an old device that is not a CHF',
      () => restoreHan(NEW_CHF, OLD_GPF),
      GrpcStatus.INVALID_ARGUMENT,
      'E11',
    ],
    [
      'the new CHF named as the old',
      () => restoreHan(NEW_CHF, NEW_CHF),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
    ],
    [
      "another premises' old CHF",
      () => restoreHan(OTHER_CHF, OLD_CHF),
      GrpcStatus.FAILED_PRECONDITION,
      undefined,
    ],
    [
      'saved entries the User sends itself',
      () => restoreHan(NEW_CHF, OLD_CHF, [{ deviceId: UNKNOWN, deviceType: 'PPMID' }]),
      GrpcStatus.INVALID_ARGUMENT,
      undefined,
    ],
    [
      'a GPF as the target (8.12.1 is for a CHF)',
      () => restoreHan(NEW_GPF, OLD_CHF),
      GrpcStatus.INVALID_ARGUMENT,
      'E11',
    ],
  ] as const)('refuses %s before I99', async (_name, build, status, code) => {
    const refusal = await hub.client.refusal(build());
    expect(refusal.status).toBe(status);
    expect(refusal.responseCode).toBe(code);
  });
});

describe('8.12.2 Restore GPF Device Log', () => {
  it("restores the old GPF's log (the devices at its gas point) onto the new GPF, sent by the gas supplier", async () => {
    const restored = await answered(restoreGpf(NEW_GPF, OLD_GPF));
    expect(restored.responseCode).toBe('I0');
    expect(restored.body).toMatchObject({
      $case: 'hanDeviceLogRestored',
      value: { oldDeviceId: OLD_GPF, restoredCount: 2 },
    });
    expect(await logOf(GAS_SUPPLIER, NEW_GPF)).toEqual([GSME, PPMID]);
  });

  it('refuses an old CHF named as the old GPF (E11) and the GSME as the target (E11) before I99', async () => {
    expect((await hub.client.refusal(restoreGpf(NEW_GPF, OLD_CHF))).responseCode).toBe('E11');
    expect((await hub.client.refusal(restoreGpf(GSME, OLD_GPF))).responseCode).toBe('E11');
  });
});
