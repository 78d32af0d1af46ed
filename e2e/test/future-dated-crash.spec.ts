import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';

// The scheduling service, holder of DSP future-dated requests, as its own OS process: killed with SIGKILL after
// it acknowledged holding them and before their time, more accepted while it is down, then started on a test
// clock past their time (SCHEDULING_TEST_CLOCK_START_MS) and killed again mid-release: each is answered once.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const HOUR = 3_600_000;
const BEFORE = 150; // accepted and held before the first kill
const WHILE_DOWN = 50; // accepted while no holder runs
const device = (n: number) =>
  `00-DB-12-00-00-00-${((n >> 8) & 0xff).toString(16).padStart(2, '0')}-${(n & 0xff).toString(16).padStart(2, '0')}`.toUpperCase();
const EXECUTION_MS = Math.ceil(Date.now() / HOUR) * HOUR + HOUR;

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let records: KV;
let child: ServiceProcess | undefined;
const responses: ServiceResponse[] = [];

beforeAll(async () => {
  hub = await startLocalHub({ meters: BEFORE + WHILE_DOWN });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => responses.push(r));
  nc = await connect({ servers: hub.nats.url });
});

afterAll(async () => {
  if (child && child.child.exitCode === null) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
  client?.close();
  await nc?.close();
  await hub?.stop();
});

const request = (n: number): ServiceRequest => ({
  requestId: `${SUPPLIER}:${device(n)}:${5_000 + n}`,
  commandVariant: 1,
  serviceReferenceVariant: '4.1.1',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: { $case: 'readInstantaneousImportRegisters', value: {} },
  executionDateTimeMs: EXECUTION_MS,
});

/** The scheduling service process; `clockMs`: its test clock's start (0: the system clock). */
const holderProcess = (clockMs: number) =>
  startServiceProcess('services/scheduling/src/main.ts', {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    SCHEDULER_TICK_MS: '50',
    SCHEDULING_TEST_CLOCK_START_MS: String(clockMs),
    // One instance id across the restarts (as a StatefulSet pod's): each takes the leader lease back at once.
    INSTANCE_ID: 'holder',
  });

async function submit(from: number, count: number): Promise<void> {
  const acks = await client.submitStream(Array.from({ length: count }, (_, i) => request(from + i)));
  expect(acks.map((a) => a.responseCode)).toEqual(Array.from({ length: count }, () => 'I99'));
}

/** Requests the holder has stored (0 until its process has created the bucket). */
async function heldCount(): Promise<number> {
  let count = 0;
  try {
    for await (const _ of await records.keys()) count += 1;
  } catch {
    return 0;
  }
  return count;
}

describe('the holder of future-dated requests killed with SIGKILL', () => {
  it('between acceptance and release, and again mid-release: every request answered once', async () => {
    child = holderProcess(0); // the system clock: nothing is due for an hour
    await submit(0, BEFORE);
    records = await new Kvm(nc).open('future_dated');
    await waitFor('every request held', async () => (await heldCount()) === BEFORE, 60_000, 50);
    child.child.kill('SIGKILL');
    await child.exited;

    // Accepted while no holder runs: durable on FUTURE_DATED until one takes them in.
    await submit(BEFORE, WHILE_DOWN);
    expect(responses).toEqual([]); // nothing ran early

    // Past their time: released at once, and killed again while answers arrive.
    child = holderProcess(EXECUTION_MS + 2 * 60_000);
    await waitFor('answers arriving', () => responses.length >= BEFORE / 4, 60_000, 5);
    child.child.kill('SIGKILL');
    await child.exited;

    child = holderProcess(EXECUTION_MS + 3 * 60_000);
    const total = BEFORE + WHILE_DOWN;
    await waitFor('every request answered', () => responses.length >= total, 120_000, 50);
    await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would arrive meanwhile
    expect(new Set(responses.map((r) => r.requestId))).toEqual(
      new Set(Array.from({ length: total }, (_, n) => request(n).requestId)),
    );
    expect(responses).toHaveLength(total);
    expect(responses.filter((r) => r.responseCode !== 'I0').map((r) => r.detail)).toEqual([]);
    expect(responses.every((r) => r.executionDateTimeMs === EXECUTION_MS)).toBe(true);
  }, 240_000);
});
