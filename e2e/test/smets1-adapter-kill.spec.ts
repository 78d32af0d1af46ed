// kill -9 of a SMETS1 adapter instance mid-load: two smets1-adapter OS processes share the s1 partitions; one
// is killed (SIGKILL, nothing drained, released or acknowledged) while SMETS1 reads are in its DCO lanes and at
// its S1 service providers; the other takes its partitions over and every acknowledged request is answered once.
import './telemetry-setup.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceResponse } from '@dcc/proto';
import { estatePremises } from '@dcc/registry';
import { startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_PARTIES,
  HubClient,
  readImportRegisters,
  startLocalHub,
  type LocalHub,
} from '../src/index.js';

const SUPPLIER = ESTATE_PARTIES.supplier;
const POINTS = 600;
const PREMISES = 360;
const PARTITIONS = 256;

let hub: LocalHub;
let nc: NatsConnection;
let client: HubClient;
const processes = new Map<string, ServiceProcess>();
const received: ServiceResponse[] = [];

/** The SMETS1 ESMEs of commissioned premises the development supplier holds. */
const devices: string[] = [];
for (let n = 0; n < PREMISES; n++) {
  const p = estatePremises(n, PREMISES);
  if (p.smets1 && p.status === 'Commissioned' && [0, 2, 4].includes(n % 5)) devices.push(p.esme);
}

function startAdapter(instanceId: string): ServiceProcess {
  const adapter = startServiceProcess('services/smets1-adapter/src/main.ts', {
    ...hub.env,
    LOG_LEVEL: 'info',
    INSTANCE_ID: instanceId,
    DATA_DIR: mkdtempSync(join(tmpdir(), `dcc-smets1-${instanceId}-`)),
    LEASE_TTL_MS: '1500',
    // The killed instance's DCO lanes move to the survivor as soon as its partitions do.
    DCO_LANE_LEASE_TTL_MS: '1500',
    // Commands spend time in the DCO lanes and at the S1 service providers, so some are mid-way at the kill.
    DCO_PROCESSING_MS_IOC: '2',
    DCO_PROCESSING_MS_MOC: '2',
    DCO_PROCESSING_MS_FOC: '2',
    S1SP_LATENCY_MS_IOC: '30',
    S1SP_LATENCY_MS_MOC: '30',
    S1SP_LATENCY_MS_FOC: '30',
  });
  processes.set(instanceId, adapter);
  return adapter;
}

/** How many partitions each instance's METER_MAIL s1 consumer filters now. */
async function filtered(): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(nc);
  const out = new Map<string, number>();
  for await (const c of await jsm.consumers.list('METER_MAIL'))
    out.set(c.name, (c.config.filter_subjects ?? []).length);
  return out;
}

beforeAll(async () => {
  hub = await startLocalHub({ meters: POINTS, mix: 'mixed' });
  nc = await connect({ servers: hub.nats.url });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.push(r));
  startAdapter('a');
  startAdapter('b');
  await waitFor(
    'the s1 partitions shared by a and b',
    async () => {
      const f = await filtered();
      return f.get('meter-mail-s1-actors-a') === PARTITIONS / 2 &&
        f.get('meter-mail-s1-actors-b') === PARTITIONS / 2
        ? true
        : undefined;
    },
    60_000,
  );
}, 120_000);

afterAll(async () => {
  client?.close();
  for (const p of processes.values()) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all([...processes.values()].map((p) => p.exited));
  await nc?.close();
  await hub?.stop();
});

describe('a SMETS1 adapter instance killed with SIGKILL mid-load', () => {
  it('every acknowledged request is answered exactly once, I0', async () => {
    expect(devices.length).toBeGreaterThan(30);
    const total = 400;
    const acked = new Set<string>();
    let next = 0;
    let counter = 1;
    let killed = false;
    const submitter = async () => {
      while (next < total) {
        const device = devices[next++ % devices.length]!;
        const request = readImportRegisters(SUPPLIER, device, counter++);
        const ack = await client.submit(request);
        if (ack.responseCode === 'I99') acked.add(request.requestId);
        if (!killed && acked.size >= total / 3) {
          killed = true;
          processes.get('b')!.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, submitter));
    expect(killed).toBe(true);
    expect(await processes.get('b')!.exited).toBeNull(); // killed by the signal
    expect(acked.size).toBe(total);

    await waitFor(
      'a owns every s1 partition',
      async () => ((await filtered()).get('meter-mail-s1-actors-a') === PARTITIONS ? true : undefined),
      30_000,
    );
    const answered = () => new Set(received.map((r) => r.requestId));
    await waitFor(
      'every acknowledged request answered',
      () => ([...acked].every((id) => answered().has(id)) ? true : undefined),
      60_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 2_000)); // a second answer would have come by now
    const byRequest = new Map<string, ServiceResponse[]>();
    for (const r of received) byRequest.set(r.requestId, [...(byRequest.get(r.requestId) ?? []), r]);
    for (const id of acked) {
      const answers = byRequest.get(id) ?? [];
      expect(answers, id).toHaveLength(1);
      expect(answers[0]!.responseCode, `${id}: ${answers[0]!.detail}`).toBe('I0');
    }
  }, 180_000);
});
