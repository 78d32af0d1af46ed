// Rolling restart and scale-out under load: every stateful service runs as two OS processes (instance ids a and
// b) on one real nats-server; a User's client balances reads over the two access-control instances and reads
// its Responses in its own process, confirming what it has, while feed lines are written to both registration
// instances (../rolling/registration-writes.ts). Each instance is stopped with SIGTERM and started
// again while its twin carries the load; a third SMETS2 adapter joins and leaves. Counted: every acknowledged
// request answered exactly once, every command run at most once at the device edge, and the partition leases
// moving to the surviving instance and back; the same for schedules' runs, future-dated requests and top-ups. ROLLING_PROFILE=long runs the long profile (docs/operations.md).
import { estatePremises } from '@dcc/registry';
import { waitFor } from '@dcc/testkit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveLoad } from '../faults/load.js';
import { Tally } from '../faults/tally.js';
import { UserProcess } from '../faults/user-process.js';
import { formatOwners, partitionOwners } from '../rolling/ownership.js';
import { rollingProfile } from '../rolling/profiles.js';
import { RegistrationWriter } from '../rolling/registration-writes.js';
import { startRollingHub, STATEFUL, SUPPLIER, type RollingHub } from '../rolling/rolling-hub.js';
import { HUB, ScheduledAndPrepaidLoad } from '../rolling/scheduled-and-prepaid-load.js';

const profile = rollingProfile();
const PATHS = { 'smets2-adapter': 's2', 'smets1-adapter': 's1' } as const;
type AdapterDir = keyof typeof PATHS;

let hub: RollingHub;
let nc: NatsConnection;
let user: UserProcess;
let side: ScheduledAndPrepaidLoad;
const tally = new Tally();
const steps: string[] = [];
const began = Date.now();
const step = (line: string) => steps.push(`${((Date.now() - began) / 1000).toFixed(1)} s  ${line}`);

/** The development supplier's commissioned ESMEs of the mixed estate, SMETS1 and SMETS2. */
function devices(points: number): string[] {
  let premises = 0;
  for (let lines = 0; lines < points; premises++) lines += premises % 3 !== 2 ? 2 : 1;
  const out: string[] = [];
  for (let n = 0; n < premises; n++) {
    const p = estatePremises(n, premises);
    if (p.status === 'Commissioned' && [0, 2, 4].includes(n % 5)) out.push(p.esme);
  }
  return out;
}

/** Waits until the path's leases are held by exactly `ids`, each its fair share (within one). */
async function ownedBy(dir: AdapterDir, ids: string[]): Promise<string> {
  const owners = await waitFor(
    `${dir} partitions owned by ${ids.join(', ')}`,
    async () => {
      // A read that times out (a busy machine) is tried again on the next poll.
      const o = await partitionOwners(nc, PATHS[dir], profile.partitions).catch(() => undefined);
      if (!o) return undefined;
      const counts = ids.map((id) => o.get(id) ?? 0);
      const share = profile.partitions / ids.length;
      const fair =
        o.size === ids.length &&
        counts.reduce((a, b) => a + b, 0) === profile.partitions &&
        counts.every((n) => Math.abs(n - share) < 1);
      return fair ? o : undefined;
    },
    60_000,
    100,
  );
  return formatOwners(owners);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  hub = await startRollingHub(profile);
  nc = await connect({ servers: hub.nats.url });
  for (const dir of Object.keys(PATHS) as AdapterDir[])
    step(`${dir} at start: ${await ownedBy(dir, ['a', 'b'])}`);
  user = new UserProcess(hub.accessControl().join(','), SUPPLIER, (r) => tally.deliver(r));
  user.start();
  // Schedules running, future-dated requests released and top-ups, through the restarts of their services.
  side = await ScheduledAndPrepaidLoad.start(hub, nc, tally, profile);
}, 900_000);

afterAll(async () => {
  console.log(steps.join('\n'));
  if (process.env['ROLLING_KEEP_LOGS']) {
    for (const [name, instance] of hub?.instances ?? []) console.log(`--- ${name}\n${instance.output()}`);
  }
  await user?.stop();
  await side?.close();
  await nc?.close();
  await hub?.stop();
}, 120_000);

describe(`rolling restart and scale-out under load (${profile.name} profile)`, () => {
  it('every stateful service restarted one instance at a time, a third adapter added and removed: nothing lost, nothing answered or run twice', async () => {
    const load = new AbortController();
    const loading = driveLoad(hub.accessControl(), tally, {
      userId: SUPPLIER,
      devices: side.leavesAlone(devices(profile.points)),
      rate: profile.rate,
      durationMs: 3_600_000, // until aborted
      firstCounter: BigInt(Date.now()) * 1_000n,
      signal: load.signal,
    });
    // Registration writes all along (new points and their changes of supplier), to both instances in turn.
    const registrationWriter = new RegistrationWriter(
      nc,
      ['a', 'b'].map((id) => `localhost:${hub.instances.get(`registration-${id}`)!.port}`),
    );
    const writing = registrationWriter.run(load.signal, Math.floor(profile.points / 2));
    const exits = new Map<string, number | null | undefined>();
    for (const dir of STATEFUL) {
      for (const [id, twin] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const instance = hub.instances.get(`${dir}-${id}`)!;
        exits.set(`${dir}-${id}`, await instance.stop());
        step(`${dir} ${id} stopped (SIGTERM)`);
        if (dir in PATHS) step(`${dir} partitions: ${await ownedBy(dir as AdapterDir, [twin])}`);
        await sleep(profile.dwellMs); // the twin alone carries the load
        await instance.start();
        step(`${dir} ${id} serving again`);
        if (dir in PATHS) step(`${dir} partitions: ${await ownedBy(dir as AdapterDir, ['a', 'b'])}`);
        await sleep(profile.dwellMs);
      }
    }
    // Scale-out and back: a third SMETS2 adapter takes its share, then leaves with SIGTERM.
    const third = await hub.add('smets2-adapter', 'c');
    step(`smets2-adapter c added: ${await ownedBy('smets2-adapter', ['a', 'b', 'c'])}`);
    await sleep(profile.dwellMs);
    exits.set('smets2-adapter-c', await third.stop());
    step(`smets2-adapter c removed: ${await ownedBy('smets2-adapter', ['a', 'b'])}`);
    await sleep(profile.dwellMs);
    load.abort();
    await loading;
    await writing;
    await side.stop();

    // Every instance drained and exited 0 on its SIGTERM.
    for (const [name, code] of exits) expect(code, `${name} exit code`).toBe(0);
    const deadline = Date.now() + profile.settleMs;
    while (tally.unanswered() > 0 && Date.now() < deadline) await sleep(250);
    await sleep(1_500); // a second delivery would have come by now
    const counts = tally.counts(false);
    step(`counts: ${JSON.stringify(counts)} refusals: ${JSON.stringify(Object.fromEntries(tally.refused))}`);
    expect(counts.acknowledged).toBeGreaterThan(profile.rate * 10);
    expect(counts.lost, 'acknowledged, never answered').toBe(0);
    expect(counts.duplicates, 'answered more than once').toBe(0);
    expect(counts.answeredOnce).toBe(counts.acknowledged);
    // Not acknowledged, so nothing is owed, and the client may send them again: UNAVAILABLE from both instances
    // (one stopping, its twin busy) and DEADLINE_EXCEEDED (the 5 s deadline, on a busy machine). Nothing else.
    const otherRefusals = [...tally.refused.keys()].filter((r) => r !== 'grpc-14' && r !== 'grpc-4');
    expect(otherRefusals).toEqual([]);
    // Scheduling and prepayment: every schedule's run, held request and acknowledged top-up answered once.
    const sideCounts = await side.settle(profile.settleMs);
    step(`scheduled and prepaid: ${JSON.stringify(sideCounts)}`);
    expect(sideCounts).toMatchObject({
      runsOnce: sideCounts.schedules,
      heldOnce: sideCounts.held,
      creditedOnce: sideCounts.topUps,
      duplicates: 0,
    });
    expect(sideCounts.topUps).toBeGreaterThan(10);

    // Every acknowledged registration write is visible on both instances, and the record holds each stored
    // write once (a write sent again after a lost answer finds it recorded and stores nothing).
    const written = await registrationWriter.verify();
    step(`registration writes: ${JSON.stringify(written)}`);
    expect(written.problems).toEqual([]);
    expect(written.acknowledged).toBeGreaterThan(10);
    expect(written.stored).toBe(written.expectedStored);

    // At most once at the device: the adapters' device edges count what they ran; each instance logs its count
    // at every graceful stop, so stopping them all now adds up every incarnation's.
    for (const dir of Object.keys(PATHS)) {
      for (const [name, instance] of hub.instances) if (name.startsWith(dir)) await instance.stop();
    }
    const edge = deviceEdge(hub);
    const answeredI0 = tally
      .answers()
      .filter((r) => r.responseCode === 'I0' && tally.acknowledged.has(r.requestId)).length;
    step(
      `device executions ${edge.executions} (refused by the device ${edge.refusals}), answered I0 ${answeredI0}`,
    );
    // Every acknowledged request answered I0.
    expect(answeredI0).toBe(counts.acknowledged);
    // Each read ran once; a repeat that reached a device after a hand-over is refused by the meter's own
    // RequestID high-water mark (it did not run again), and its answer is not a second response. Counted over
    // every I0 answer of a device request: the acknowledged reads, reads stored whose I99 missed the client's
    // deadline, and the schedules' runs, held requests and top-ups (sideCounts.deviceRuns of them); the hub's
    // own answers to 5.1 are not device runs.
    const deviceI0 = tally
      .answers()
      .filter((r) => r.responseCode === 'I0' && r.requestId.split(':')[1] !== HUB).length;
    expect(deviceI0).toBeGreaterThanOrEqual(answeredI0 + sideCounts.deviceRuns);
    expect(edge.executions - edge.refusals).toBe(deviceI0);
  }, 1_200_000);
});

/** The sums of every adapter incarnation's "device edge at stop" counts. */
function deviceEdge(rolling: RollingHub): { executions: number; refusals: number } {
  const total = { executions: 0, refusals: 0 };
  for (const [name, instance] of rolling.instances) {
    if (!(name.startsWith('smets2-adapter') || name.startsWith('smets1-adapter'))) continue;
    for (const line of instance.output().split('\n')) {
      if (!line.includes('device edge at stop"')) continue;
      const counts = JSON.parse(line) as { deviceExecutions: number; deviceRefusals: number };
      total.executions += counts.deviceExecutions;
      total.refusals += counts.deviceRefusals;
    }
  }
  return total;
}
