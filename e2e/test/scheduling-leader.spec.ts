import { ScheduleShard, type ServiceResponse } from '@dcc/proto';
import { createSchedulingService, SCHEDULES_BUCKET } from '@dcc/scheduling';
import { startService } from '@dcc/service-kit';
import { startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import { Kvm, type KV } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dailyScheduleRequest,
  futureDatedRead,
  HubClient,
  startLocalHub,
  uniformMeter,
  type LocalHub,
} from '../src/index.js';

// Two scheduling instances as OS processes on one test clock (SCHEDULING_TEST_CLOCK_OFFSET_MS, the same in both
// and across restarts) while a night's schedules and future-dated requests fall due: the leader is killed with
// SIGKILL mid-night and the standby takes over after the lease's TTL; the killed one comes back as the standby,
// and the leader is then drained with SIGTERM, handing over at once. Every run and request is answered once.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const HUB = '90-B3-D5-1F-30-00-00-02';
const SCHEDULES = 200;
const HELD = 100;
/** Work falling due per second of the test clock: the night is spread over SCHEDULES / PER_SECOND seconds. */
const PER_SECOND = 8;
const LEASE_TTL_MS = 5_000;
/** The night starts (test clock) two hours ahead of the system clock: everything is created before it. */
const NIGHT_MS = Math.ceil(Date.now() / 1_000) * 1_000 + 2 * 3_600_000;
const device = uniformMeter;

let hub: LocalHub;
let client: HubClient;
let nc: NatsConnection;
let leases: KV;
const responses: ServiceResponse[] = [];
/** The running process of each instance id. */
const instances = new Map<string, ServiceProcess>();
/** Every process started, in order (a killed one's output stays readable). */
const started: ServiceProcess[] = [];

beforeAll(async () => {
  // One meter per schedule and per held request: two due on one meter at once would race its anti-replay check.
  hub = await startLocalHub({ meters: SCHEDULES + HELD });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => responses.push(r));
  nc = await connect({ servers: hub.nats.url });
});

afterAll(async () => {
  for (const p of started) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  client?.close();
  await nc?.close();
  await hub?.stop();
});

/** Schedule n's one run in the test falls due at NIGHT_MS + n / PER_SECOND seconds (whole seconds). */
const dueOf = (n: number) => NIGHT_MS + Math.floor(n / PER_SECOND) * 1_000;

const create = (n: number) => dailyScheduleRequest(`${SUPPLIER}:${HUB}:${30_000 + n}`, device(n), dueOf(n));

/** Held request n (on its own meter) is due among the schedules, half a second after their second. */
const held = (n: number) =>
  futureDatedRead(
    `${SUPPLIER}:${device(SCHEDULES + n)}:${7_000 + n}`,
    dueOf(Math.floor((n * SCHEDULES) / HELD)) + 500,
  );

/** Scheduling instance `id` on the shared test clock (the system clock plus `offsetMs`). */
function startInstance(id: string, offsetMs: number): ServiceProcess {
  const p = startServiceProcess('services/scheduling/src/main.ts', {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'info',
    SCHEDULER_TICK_MS: '100',
    DUE_BUCKET_MS: '1000',
    INSTANCE_ID: id,
    SCHEDULING_LEASE_TTL_MS: String(LEASE_TTL_MS),
    SCHEDULING_TEST_CLOCK_OFFSET_MS: String(offsetMs),
  });
  instances.set(id, p);
  started.push(p);
  return p;
}

/**
 * The instance leading now: the lease names it and its last word on the lease is that it leads (an instance
 * that stalled past its deadline stops leading while its key waits for the TTL).
 */
async function leader(): Promise<string | undefined> {
  const entry = await leases.get('p.0').catch(() => null);
  if (entry?.operation !== 'PUT') return undefined;
  const id = entry.string();
  const said = instances
    .get(id)
    ?.output()
    .split('\n')
    .filter((l) => l.includes('"msg":"scheduling leader:') || l.includes('"msg":"scheduling standby:'))
    .at(-1);
  return said?.includes('leader:') ? id : undefined;
}

/** When the process with this id logged that it began to lead, as its log's UTC milliseconds, after `since`. */
function ledFrom(id: string, since: number): number | undefined {
  for (const line of instances.get(id)!.output().split('\n')) {
    if (!line.includes('"scheduling leader:')) continue;
    const at = Date.parse((JSON.parse(line) as { time: string }).time);
    if (at >= since) return at;
  }
  return undefined;
}

const runs = () => responses.filter((r) => r.dspScheduleId);
const answered = () => responses.length;

describe('two scheduling instances, one leader lease', () => {
  it('the leader killed mid-night and the next one drained: every run and held request answered once', async () => {
    // Created through the DCC User Interface and held, answered by an in-process instance on the system clock
    // (nothing is due for two hours); it leaves, releasing the lease.
    const creator = await startService(createSchedulingService(), {
      NATS_URL: hub.nats.url,
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      // Settings every instance shares: the due index's bucket width, and the lease bucket's TTL (set by
      // whoever makes it).
      DUE_BUCKET_MS: '1000',
      SCHEDULING_LEASE_TTL_MS: String(LEASE_TTL_MS),
    });
    const acks = await client.submitStream([
      ...Array.from({ length: SCHEDULES }, (_, n) => create(n)),
      ...Array.from({ length: HELD }, (_, n) => held(n)),
    ]);
    expect(acks.filter((a) => a.responseCode !== 'I99').map((a) => a.detail)).toEqual([]);
    await waitFor('every schedule created', () => answered() === SCHEDULES, 60_000, 50);
    const records = await new Kvm(nc).open('future_dated');
    await waitFor(
      'every request held',
      async () => {
        let count = 0;
        for await (const _ of await records.keys()) count += 1;
        return count === HELD;
      },
      60_000,
      100,
    );
    await creator.stop();
    responses.length = 0;

    // Both on one clock that reaches the night 20 s from now (time for two processes to start on a busy machine).
    const nightStartsAt = Date.now() + 20_000;
    const offsetMs = NIGHT_MS - nightStartsAt;
    startInstance('a', offsetMs);
    startInstance('b', offsetMs);
    leases = await new Kvm(nc).open('scheduling_leader'); // made by the creator
    const total = SCHEDULES + HELD;
    // Killed ten seconds into the night (of 25): what fell due before is run, the rest is falling due.
    await new Promise((r) => setTimeout(r, Math.max(0, nightStartsAt + 10_000 - Date.now())));
    // The one leading now (a start stalling a process on a busy machine may have moved the lease before).
    const first = await waitFor('a leader', leader, 60_000, 20);
    const second = first === 'a' ? 'b' : 'a';
    const killedAt = Date.now();
    instances.get(first)!.child.kill('SIGKILL');
    await instances.get(first)!.exited;
    const atKill = answered();
    expect(atKill).toBeLessThan(total); // killed mid-night
    await waitFor(`${second} leading`, async () => (await leader()) === second, 30_000, 20);
    const takeoverMs = ledFrom(second, killedAt)! - killedAt;
    // The lease is only free once the server expired it: a TTL after the last renewal, renewed every TTL / 5.
    expect(takeoverMs).toBeGreaterThan(0);
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + LEASE_TTL_MS / 5 + 2_000);

    // The killed one back with its id and clock: it stands by while the other leads, then that one drains.
    startInstance(first, offsetMs);
    await waitFor(
      `${first} up`,
      () => instances.get(first)!.output().includes('"msg":"scheduling serving"'),
      60_000,
      50,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // its loop turning (a start on a busy machine stalls it)
    expect(await leader()).toBe(second);
    const drainedAt = Date.now();
    instances.get(second)!.child.kill('SIGTERM');
    expect(await instances.get(second)!.exited).toBe(0);
    await waitFor(`${first} leading again`, async () => (await leader()) === first, 30_000, 20);
    const handOverMs = ledFrom(first, drainedAt)! - drainedAt;
    expect(handOverMs).toBeLessThan(LEASE_TTL_MS); // released by the drain, not expired

    await waitFor('every run and request answered', () => answered() >= total, 120_000, 50);
    await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would arrive meanwhile
    const ids = await scheduleIds();
    expect(new Set(runs().map((r) => r.dspScheduleId))).toEqual(ids);
    expect(runs()).toHaveLength(SCHEDULES);
    const releasedIds = responses.filter((r) => !r.dspScheduleId).map((r) => r.requestId);
    expect(new Set(releasedIds)).toEqual(new Set(Array.from({ length: HELD }, (_, n) => held(n).requestId)));
    expect(releasedIds).toHaveLength(HELD);
    expect(responses.filter((r) => r.responseCode !== 'I0').map((r) => r.detail)).toEqual([]);
    console.log(
      `answered ${atKill} of ${total} at the SIGKILL; standby leading ${takeoverMs} ms after it ` +
        `(lease TTL ${LEASE_TTL_MS} ms); hand-over on SIGTERM ${handOverMs} ms`,
    );
  }, 300_000);
});

/** Every schedule's id, from the schedules bucket (each key a shard of a User's schedules). */
async function scheduleIds(): Promise<Set<string>> {
  const kv = await new Kvm(nc).open(SCHEDULES_BUCKET);
  const ids = new Set<string>();
  for await (const key of await kv.keys('*.*')) {
    const entry = await kv.get(key); // a User's shard (the bucket's own record of the count has no dot)
    if (entry?.operation !== 'PUT') continue;
    for (const schedule of ScheduleShard.decode(entry.value).schedules) ids.add(schedule.dspScheduleId);
  }
  return ids;
}
