// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessControl, DEVELOPMENT_USERS } from '@dcc/access-control';
import { registration as registrationService } from '@dcc/registration';
import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startNatsServer, waitFor, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  estateLines,
  HubClient,
  loadEstateFeed,
  PrepaymentCredentials,
  readImportRegisters,
} from '../src/index.js';
import { registrationTls } from '../src/registration-tls.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const FLEET = 1_000;
const PARTITIONS = 256;
const meter = (i: number) => {
  const hex = i.toString(16).padStart(4, '0').toUpperCase();
  return `00-DB-12-00-00-00-${hex.slice(0, 2)}-${hex.slice(2)}`;
};

let nats: NatsServer;
let nc: NatsConnection;
let gateway: RunningService;
let registration: RunningService | undefined;
let client: HubClient;
const adapters = new Map<string, RunningService>();
const received: ServiceResponse[] = [];
let env: Record<string, string>;
const prepayment = new PrepaymentCredentials();

/** One adapter instance: its own instance id and LMDB directory, short leases so a crash is taken over fast. */
async function startAdapter(instanceId: string): Promise<RunningService> {
  const adapter = await startService(smets2Adapter, {
    ...env,
    LOG_LEVEL: 'error',
    INSTANCE_ID: instanceId,
    DATA_DIR: mkdtempSync(join(tmpdir(), `dcc-adapter-${instanceId}-`)),
    LEASE_TTL_MS: '1500',
    REMINDER_TICK_MS: '200',
  });
  adapters.set(instanceId, adapter);
  return adapter;
}

/** The partitions each instance's METER_MAIL consumer filters now. */
async function filtered(): Promise<Map<string, number>> {
  const jsm = await jetstreamManager(nc);
  const out = new Map<string, number>();
  for await (const c of await jsm.consumers.list('METER_MAIL'))
    out.set(c.name, (c.config.filter_subjects ?? []).length);
  return out;
}

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  env = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    METER_PARTITIONS: String(PARTITIONS),
    USERS: prepayment.registerTopUpKeys(JSON.stringify(DEVELOPMENT_USERS)),
    ...prepayment.deviceEdgeEnv(mkdtempSync(join(tmpdir(), 'dcc-handover-keys-'))),
  };
  // The meters are registered (uniform estate: 00-DB-12-00-00-00-00-00 upwards, the development supplier's).
  registration = await startService(registrationService, {
    ...env,
    REGISTRY_CAPACITY: String(FLEET * 2),
    ...(await registrationTls()).env,
  });
  await loadEstateFeed(`127.0.0.1:${registration.grpcPort}`, estateLines(FLEET));
  await startAdapter('a');
  await startAdapter('b');
  gateway = await startService(accessControl, env);
  client = new HubClient(`127.0.0.1:${gateway.grpcPort}`);
  client.responses(SUPPLIER, (r) => received.push(r));
  // Fair share: each instance's one consumer filters half of the partitions.
  await waitFor(
    'partitions shared by a and b',
    async () => {
      const f = await filtered();
      return f.get('meter-mail-s2-actors-a') === PARTITIONS / 2 &&
        f.get('meter-mail-s2-actors-b') === PARTITIONS / 2
        ? true
        : undefined;
    },
    20_000,
  );
}, 40_000);

afterAll(async () => {
  client.close();
  await gateway.stop();
  await registration?.stop();
  for (const adapter of adapters.values())
    await Promise.race([adapter.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  await nc.close();
  await nats.stop();
});

describe('two adapter instances sharing the partitions', () => {
  it('one crashes mid-stream: every acknowledged request gets exactly one I0', async () => {
    const total = 2_000;
    const acked = new Set<string>();
    let next = 0;
    let counter = 1;
    let crashed = false;
    const submitter = async () => {
      while (next < total) {
        next++;
        const device = meter(Math.floor(Math.random() * FLEET));
        const request = readImportRegisters(SUPPLIER, device, counter++);
        const ack = await client.submit(request);
        if (ack.responseCode === 'I99') acked.add(request.requestId);
        if (!crashed && acked.size >= total / 3) {
          crashed = true;
          // A crash: b's connection drops without a drain; nothing is released, acked or nak'ed.
          const b = adapters.get('b')!;
          await b.nc.close();
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, submitter));
    expect(crashed).toBe(true);
    expect(acked.size).toBe(total);

    // a takes b's partitions over (after b's leases expire) and deletes b's consumer.
    await waitFor(
      'a owns every partition',
      async () => {
        const f = await filtered();
        return f.get('meter-mail-s2-actors-a') === PARTITIONS && !f.has('meter-mail-s2-actors-b')
          ? true
          : undefined;
      },
      30_000,
    );
    await waitFor(
      'every acknowledged request answered',
      () => {
        const answered = new Set(received.map((r) => r.requestId)); // once per poll, not per request
        const missing = [...acked].filter((id) => !answered.has(id)).length;
        return missing === 0 ? true : undefined;
      },
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
  }, 120_000);

  it('keeps meter state across an adapter restart (top-up balance and UTRN anti-replay from the durable record)', async () => {
    const device = meter(7);
    let counter = 1_000_000;
    const submit = async (srv: string, body: ServiceRequest['body']): Promise<ServiceResponse> => {
      const request: ServiceRequest = {
        requestId: `${SUPPLIER}:${device}:${counter++}`,
        commandVariant: 1,
        serviceReferenceVariant: srv,
        userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
        body,
      };
      expect((await client.submit(request)).responseCode).toBe('I99');
      return waitFor(`the response to ${srv}`, () => received.find((r) => r.requestId === request.requestId));
    };
    const utrn = prepayment.utrn({ supplierId: SUPPLIER, deviceId: device, counter: 1n << 32n, pence: 700 });
    const topUp = await submit('2.2', { $case: 'topUpDevice', value: { utrn } });
    expect(topUp.responseCode).toBe('I0');
    const shown = await submit('3.1', {
      $case: 'displayMessage',
      value: { message: 'Tariff changes Monday' },
    });
    expect(shown.responseCode).toBe('I0');

    // Restart: the surviving instance stops gracefully; a new one, with an empty LMDB directory, starts.
    await adapters.get('a')!.stop();
    adapters.delete('a');
    await startAdapter('c');

    const balance = await submit('4.18', undefined);
    expect(balance.body).toMatchObject({ value: { meterBalancePence: '700' } });
    const replay = await submit('2.2', { $case: 'topUpDevice', value: { utrn } });
    expect(replay.responseCode).toBe('');
    expect(replay.deviceOutcome?.rejectionReason).toBeTruthy();
  }, 60_000);
});
