// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
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

// HAN joins and unjoins through the whole hub: the device executes 8.7.2 / 8.8.2, the device edge reports the
// link to registration before the I0 is stored, and the inventory (8.2) and access control's checks follow.

const ELECTRICITY = mpan('100000000201');
const GAS = mprn('10000201');
const ESME = '00-DB-12-00-00-00-02-01';
const GSME = '00-DB-12-00-00-00-02-02';
const CHF = '00-DB-12-00-00-00-02-03';
const GPF = '00-DB-12-00-00-00-02-04';
const PPMID = '00-DB-12-00-00-00-02-05';

const commissioned = (id: string, type?: string) => ({
  id,
  ...(type ? { type } : {}),
  status: 'Commissioned',
});
const common = { meterKind: 'SMETS2', cspRegion: 'Central', commsHub: commissioned(CHF) };
// A dual-fuel premises whose PPMID is joined to the electricity meter only, each fuel with its own supplier.
const FEED = [
  JSON.stringify({
    mpxn: ELECTRICITY,
    fuel: 'electricity',
    ...common,
    device: commissioned(ESME),
    hanDevices: [commissioned(PPMID, 'PPMID')],
    supplier: { party: ELECTRICITY_SUPPLIER, from: '2024-01-01' },
  }),
  JSON.stringify({
    mpxn: GAS,
    fuel: 'gas',
    ...common,
    device: commissioned(GSME),
    gpf: commissioned(GPF),
    supplier: { party: GAS_SUPPLIER, from: '2024-01-01' },
  }),
];

let hub: TwoSupplierHub;

beforeAll(async () => {
  hub = await startTwoSupplierHub(FEED, 'han-links', 7_000);
});

afterAll(async () => {
  await hub?.stop();
});

const request = (user: string, target: string, srv: string, body: ServiceRequest['body']) =>
  hub.request(user, target, srv, body);
const answered = (r: ServiceRequest) => hub.answered(r);

const join = (user: string, target: string, other: string, joined: boolean) =>
  request(user, target, joined ? '8.7.2' : '8.8.2', {
    $case: joined ? 'joinServiceNonCritical' : 'unjoinServiceNonCritical',
    value: { otherDeviceId: other },
  });
const readDeviceLog = (user: string, target: string) =>
  request(user, target, '8.9', { $case: 'readDeviceLog', value: { readSecurityDetails: false } });

/** The PPMID's meter points as 8.2 Read Inventory answers them. */
async function ppmidPoints(): Promise<string[]> {
  const response = await answered(
    request(ELECTRICITY_SUPPLIER, HUB, '8.2', {
      $case: 'readInventory',
      value: { deviceId: PPMID, mpxn: '' },
    }),
  );
  expect(response.responseCode).toBe('I0');
  const body = response.body?.$case === 'inventory' ? response.body.value : undefined;
  const device = body?.devices.find((d) => d.deviceId === PPMID);
  return device ? [device.mpxn, ...device.additionalMpxns] : [];
}

describe('HAN joins kept in the inventory', () => {
  it('a join links the PPMID to the gas point (8.2 shows it, the gas supplier may then address it); an unjoin unlinks it', async () => {
    expect(await ppmidPoints()).toEqual([ELECTRICITY]);
    // Before the join the gas supplier has nothing to do with the PPMID.
    expect((await hub.client.refusal(readDeviceLog(GAS_SUPPLIER, PPMID))).responseCode).toBe('E4');

    const joined = await answered(join(GAS_SUPPLIER, GSME, PPMID, true));
    expect(joined).toMatchObject({ responseCode: 'I0' });
    expect(joined.body).toMatchObject({
      $case: 'serviceJoined',
      value: { joinedDeviceIds: [PPMID], changed: true },
    });
    expect(await ppmidPoints()).toEqual([ELECTRICITY, GAS]);
    expect((await answered(readDeviceLog(GAS_SUPPLIER, PPMID))).responseCode).toBe('I0');

    const unjoined = await answered(join(ELECTRICITY_SUPPLIER, ESME, PPMID, false));
    expect(unjoined).toMatchObject({ responseCode: 'I0', body: { $case: 'serviceUnjoined' } });
    expect(await ppmidPoints()).toEqual([GAS]);
    expect((await hub.client.refusal(readDeviceLog(ELECTRICITY_SUPPLIER, PPMID))).responseCode).toBe('E4');
  });

  it('refuses a malformed OtherDeviceID before I99', async () => {
    const refusal = await hub.client.refusal(join(GAS_SUPPLIER, GSME, '00db120000000205', true));
    expect(refusal.message).toMatch(/otherDeviceId/);
  });
});
