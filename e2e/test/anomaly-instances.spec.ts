// Anomaly thresholds with several access-control instances: a User's client that spreads its requests over two
// instances trips a per-User threshold at the same request as one that sends them all to one instance, because
// the counts are shared (JetStream KV, ANOMALY_COUNTERS=shared, which the Helm chart sets). With
// ANOMALY_COUNTERS=local (the default, for one instance) each instance counts only its own share, and the
// threshold trips late.
import './telemetry-setup.js';
import { accessControl } from '@dcc/access-control';
import { UserRole, type ServiceRequest } from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const LIMIT = 4;
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
// Each SRV is counted on its own against the per-User limit; an hour's window so no count slides out mid-test.
const THRESHOLDS = { windowSeconds: 3_600, perUser: { '*': LIMIT }, systemWide: {} };

let hub: LocalHub;
const extra: RunningService[] = [];
const clients: HubClient[] = [];
let counter = 1;

async function instance(env: Record<string, string> = {}): Promise<HubClient> {
  const service = await startService(accessControl, { ...hub.env, ...env });
  extra.push(service);
  return client(`127.0.0.1:${service.grpcPort}`);
}

function client(address: string): HubClient {
  const c = new HubClient(address);
  clients.push(c);
  return c;
}

const firmwareRead = (deviceId: string): ServiceRequest => ({
  requestId: `${SUPPLIER}:${deviceId}:${counter++}`,
  commandVariant: 1,
  serviceReferenceVariant: '11.2',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: { $case: 'readFirmwareVersion', value: {} },
});

/**
 * Sends `total` requests one after another, the n-th through `via[n % via.length]`; resolves with the
 * 1-based position of the first one quarantined (0: none).
 */
async function firstQuarantined(
  via: HubClient[],
  total: number,
  request: (n: number) => ServiceRequest,
): Promise<number> {
  for (let n = 0; n < total; n++) {
    const ack = await via[n % via.length]!.submit(request(n));
    expect(ack.responseCode).toBe('I99');
    if (ack.detail.startsWith('quarantined:')) return n + 1;
  }
  return 0;
}

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 20,
    env: { ANOMALY_THRESHOLDS: JSON.stringify(THRESHOLDS), ANOMALY_COUNTERS: 'shared' },
  });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of extra) await s.stop();
  await hub?.stop();
});

describe('anomaly thresholds over several access-control instances', () => {
  it('trip at the same count through two instances alternately as through one', async () => {
    const one = client(hub.address);
    const through1 = await firstQuarantined([one], 2 * LIMIT, (n) =>
      readImportRegisters(SUPPLIER, meter(n), counter++),
    );
    expect(through1).toBe(LIMIT + 1);

    const two = [one, await instance()];
    const through2 = await firstQuarantined(two, 2 * LIMIT, (n) => firmwareRead(meter(n)));
    expect(through2).toBe(through1);
  });

  it('would trip late with per-instance counts (ANOMALY_COUNTERS=local): each instance sees half', async () => {
    const local = [
      await instance({ ANOMALY_COUNTERS: 'local' }),
      await instance({ ANOMALY_COUNTERS: 'local' }),
    ];
    // Local instances do not read the shared counts: each counts 4.1.1 from zero, only what reaches it.
    const through = await firstQuarantined(local, 3 * LIMIT, (n) =>
      readImportRegisters(SUPPLIER, meter(n), counter++),
    );
    expect(through).toBe(2 * LIMIT + 1);
  });
});
