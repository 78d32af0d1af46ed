// The feed carries every inventory device type with its links (FEED-FORMAT.md): comms hub, GPF and HAN devices
// are accepted, recorded with their links (8.2 Read Inventory shows them), and lines with malformed links are
// rejected with their line numbers; over real gRPC against a real nats-server.
import { startService, type RunningService } from '@dcc/service-kit';
import { registration } from '@dcc/registration';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import type { ReadInventoryResponse, RegistrationServiceClient } from '@dcc/proto';
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
} from './registration-helpers.js';

let nats: NatsServer;
let service: RunningService;
let client: RegistrationServiceClient;

beforeAll(async () => {
  nats = await startNatsServer();
  service = await startService(registration, {
    NATS_URL: nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  client = await registrationClient(service.grpcPort);
});

afterAll(async () => {
  client?.close();
  await service?.stop();
  await nats?.stop();
});

const E1 = mpan('100000000001');
const G1 = mprn('39384244');
const E2 = mpan('100000000002');
const G2 = mprn('39384245');
const E3 = mpan('100000000003');
const ids = {
  esme: '00-DB-12-00-00-00-30-01',
  gsme: '00-DB-12-00-00-00-30-02',
  chf: '00-DB-12-02-00-00-30-00',
  gpf: '00-DB-12-03-00-00-30-00',
  ppmid: '00-DB-12-04-00-00-30-00',
  ihd: '00-DB-12-05-00-00-30-00',
  hcalcs: '00-DB-12-06-00-00-30-00',
};
const on = (status = 'Commissioned') => ({ status });
const line = (mpxn: string, extra: Record<string, unknown>) =>
  JSON.stringify({
    mpxn,
    fuel: mpxn.length === 13 ? 'electricity' : 'gas',
    meterKind: 'SMETS2',
    cspRegion: 'South',
    supplier: { party: SUPPLIER_A, from: '2024-01-01' },
    networkOperator: { party: DNO, from: '2020-01-01' },
    ...extra,
  });
const shared = [
  { id: ids.ppmid, type: 'PPMID', ...on() },
  { id: ids.ihd, type: 'IHD', ...on() },
];

const FEED = [
  '# a dual-fuel premises with every device type',
  line(E1, {
    device: { id: ids.esme, ...on() },
    commsHub: { id: ids.chf, ...on(), model: 'CHF-2' },
    hanDevices: [...shared, { id: ids.hcalcs, type: 'HCALCS', ...on() }],
  }),
  line(G1, {
    device: { id: ids.gsme, ...on() },
    commsHub: { id: ids.chf, ...on(), model: 'CHF-2' },
    gpf: { id: ids.gpf, ...on() },
    hanDevices: shared,
  }),
  // 4: a GPF on an electricity point
  line(E2, {
    device: { id: '00-DB-12-00-00-00-30-11', ...on() },
    commsHub: { id: '00-DB-12-02-00-00-30-11', ...on() },
    gpf: { id: '00-DB-12-03-00-00-30-11', ...on() },
  }),
  // 5: a GPF without the comms hub it runs on
  line(G2, {
    device: { id: '00-DB-12-00-00-00-30-12', ...on() },
    gpf: { id: '00-DB-12-03-00-00-30-12', ...on() },
  }),
  // 6: an HCALCS on a gas point
  line(G2, {
    commsHub: { id: '00-DB-12-02-00-00-30-12', ...on() },
    hanDevices: [{ id: '00-DB-12-06-00-00-30-12', type: 'HCALCS', ...on() }],
  }),
  // 7: a comms hub whose id is a meter's
  line(E2, { commsHub: { id: ids.esme, ...on() } }),
  // 8: the premises' IHD joined to a third meter point
  line(E3, {
    commsHub: { id: '00-DB-12-02-00-00-30-13', ...on() },
    hanDevices: [{ id: ids.ihd, type: 'IHD', ...on() }],
  }),
  // 9: one device twice on a line
  line(E3, {
    commsHub: { id: '00-DB-12-02-00-00-30-13', ...on() },
    hanDevices: [{ id: '00-DB-12-02-00-00-30-13', type: 'IHD', ...on() }],
  }),
  // 10: an existing PPMID given as an IHD
  line(E3, {
    commsHub: { id: '00-DB-12-02-00-00-30-13', ...on() },
    hanDevices: [{ id: ids.ppmid, type: 'IHD', ...on() }],
  }),
  // 11: a HAN device of a type the feed does not take there
  line(E3, {
    commsHub: { id: '00-DB-12-02-00-00-30-13', ...on() },
    hanDevices: [{ id: '00-DB-12-04-00-00-30-13', type: 'ESME', ...on() }],
  }),
];

describe('inventory devices and links in the feed', () => {
  it('accepts every device type with its links and rejects malformed links with their line numbers', async () => {
    const outcome = await loadFeed(client, FEED);
    expect(outcome.error).toBeUndefined();
    expect(outcome.report).toMatchObject({ lines: FEED.length, applied: 2, rejected: 8 });
    const rejected = outcome.report!.rejections.map((r) => [r.lineNumber, r.reason]);
    expect(rejected.map(([n]) => n)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rejected[0]![1]).toMatch(/only a gas point has a GPF/);
    expect(rejected[1]![1]).toMatch(/commsHub is required/);
    expect(rejected[2]![1]).toMatch(/HCALCS .* not on a gas point/);
    expect(rejected[3]![1]).toMatch(/ESME\/GSME in the inventory, not a CHF/);
    expect(rejected[4]![1]).toMatch(/already joins two meter points/);
    expect(rejected[5]![1]).toMatch(/appears twice/);
    expect(rejected[6]![1]).toMatch(/is a PPMID in the inventory, not a IHD/);
    expect(rejected[7]![1]).toMatch(/hanDevices\.0\.type/);
  });

  it('records the links: 8.2 Read Inventory of each point lists its devices with point, comms hub and second point', async () => {
    const elec = await call<unknown, ReadInventoryResponse>(client, 'readInventory', {
      deviceId: '',
      mpxn: E1,
    });
    const byType = new Map(elec.devices.map((d) => [d.deviceType, d]));
    expect([...byType.keys()].sort()).toEqual(['CHF', 'ESME', 'HCALCS', 'IHD', 'PPMID']);
    expect(byType.get('ESME')).toMatchObject({ deviceId: ids.esme, mpxn: E1, commsHubId: ids.chf });
    expect(byType.get('CHF')).toMatchObject({
      mpxn: E1,
      additionalMpxns: [G1],
      model: 'CHF-2',
      commsHubId: '',
    });
    expect(byType.get('PPMID')).toMatchObject({ mpxn: E1, additionalMpxns: [G1], commsHubId: ids.chf });
    expect(byType.get('HCALCS')).toMatchObject({ mpxn: E1, additionalMpxns: [], commsHubId: ids.chf });
    const gas = await call<unknown, ReadInventoryResponse>(client, 'readInventory', {
      deviceId: '',
      mpxn: G1,
    });
    expect(gas.devices.map((d) => d.deviceType).sort()).toEqual(['CHF', 'GPF', 'GSME', 'IHD', 'PPMID']);
    expect(gas.devices.find((d) => d.deviceType === 'GPF')).toMatchObject({ mpxn: G1, commsHubId: ids.chf });
    expect(gas.devices.find((d) => d.deviceType === 'GSME')).toMatchObject({ smetsGeneration: 'SMETS2' });
  });

  it('re-sending the feed changes nothing', async () => {
    const again = await loadFeed(client, FEED.slice(0, 3));
    expect(again.report).toMatchObject({ applied: 0, unchanged: 2, eventsRecorded: 0 });
  });
});
