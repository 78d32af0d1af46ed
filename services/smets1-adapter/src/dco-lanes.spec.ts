import { generateKeyPairSync } from 'node:crypto';
import type { MeterCommand } from '@dcc/proto';
import {
  startNatsServer,
  startServiceProcess,
  waitFor,
  type NatsServer,
  type ServiceProcess,
} from '@dcc/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COHORTS, type Cohort } from './cohort.js';
import { verifyCountersignature } from './countersignature.js';
import { callOf, smets1Device, storedCommand } from '../test/test-commands.js';
import { laneInstance, overlaps, type LaneInstance, type Turn } from '../test/lane-instances.js';

// The DCO's order per cohort across smets1-adapter instances: two instances (each its own NATS connection, Dco
// and lane leases) over a real nats-server, and, for a crash, a lane holder in its own process killed with SIGKILL.
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let nats: NatsServer;
let running: LaneInstance[] = [];
let bucket = 0;

const noTurns = (): Record<Cohort, Turn[]> => ({ IOC: [], MOC: [], FOC: [] });

async function pair(processingMs: Partial<Record<Cohort, number>> = {}) {
  const turns = noTurns();
  const name = `dco_lanes_${++bucket}`;
  const a = await laneInstance({ name: 'a', natsUrl: nats.url, keys, bucket: name, processingMs, turns });
  const b = await laneInstance({ name: 'b', natsUrl: nats.url, keys, bucket: name, processingMs, turns });
  running.push(a, b);
  // Fair share of three lanes over two live instances: one holds two, the other one.
  await waitFor(
    'the three lanes spread over both instances',
    () =>
      (a.lanes.heldCohorts.length + b.lanes.heldCohorts.length === 3 && b.lanes.heldCohorts.length > 0) ||
      undefined,
    10_000,
  );
  return { a, b, turns };
}

function submit(via: LaneInstance, cohort: Cohort, n: number) {
  const stored = storedCommand(smets1Device(n), cohort);
  return via.lanes.process(cohort, stored, callOf(stored)).then((signature) => ({ stored, signature }));
}

const countersigned = ({ stored, signature }: { stored: MeterCommand; signature: Uint8Array }) =>
  verifyCountersignature(keys.publicKey, stored.deviceId, stored.request!, signature);

beforeAll(async () => {
  nats = await startNatsServer();
});

afterEach(async () => {
  await Promise.all(running.map((i) => i.lanes.stop().catch(() => undefined)));
  await Promise.all(running.map((i) => i.nc.close()));
  running = [];
});

afterAll(async () => {
  await nats?.stop();
});

describe('the DCO order per cohort holds across smets1-adapter instances', () => {
  it('commands of a cohort submitted at once through both instances are countersigned one after another', async () => {
    const { a, b, turns } = await pair({ IOC: 3, MOC: 3, FOC: 3 });
    // 40 commands per cohort, alternately through a and b, all at once.
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, n) => submit(n % 2 ? a : b, COHORTS[n % 3]!, n)),
    );
    const elapsed = performance.now() - started;
    expect(results.every(countersigned)).toBe(true);
    for (const cohort of COHORTS) {
      // Each command once, in one lane at a time, by whichever instance held the cohort's lease.
      expect(turns[cohort]).toHaveLength(40);
      expect(new Set(turns[cohort].map((t) => t.requestId)).size).toBe(40);
      expect(overlaps(turns[cohort])).toEqual([]);
      expect(new Set(turns[cohort].map((t) => t.instance)).size).toBe(1);
    }
    // Both instances handed commands to the other's lanes.
    expect(Object.values(a.lanes.handedOff).reduce((x, y) => x + y)).toBeGreaterThan(0);
    expect(Object.values(b.lanes.handedOff).reduce((x, y) => x + y)).toBeGreaterThan(0);
    // The cohorts ran in parallel, across instances too: the whole took far less than the three lanes' sum.
    const busy = COHORTS.map((c) => turns[c].reduce((sum, t) => sum + t.ended - t.began, 0));
    expect(elapsed).toBeLessThan(0.75 * busy.reduce((x, y) => x + y));
    const heldByB = b.lanes.heldCohorts[0]!;
    const heldByA = a.lanes.heldCohorts[0]!;
    const crossInstance = turns[heldByA].some((x) =>
      turns[heldByB].some((y) => x.began < y.ended && y.began < x.ended),
    );
    expect(crossInstance).toBe(true);
  });

  it('a lane moves when its holder is lost: the other instance takes it over and answers every command', async () => {
    const { a, b, turns } = await pair({ IOC: 2 });
    const holder = a.lanes.heldCohorts.includes('IOC') ? a : b;
    const survivor = holder === a ? b : a;
    const submitted = Array.from({ length: 30 }, (_, n) => submit(survivor, 'IOC', n));
    await waitFor('some IOC turns done', () => turns.IOC.length >= 5 || undefined, 5_000);
    holder.lanes.abandon(); // as a crashed process: no release, no more answers
    const results = await Promise.all(submitted);
    expect(results.every(countersigned)).toBe(true);
    expect(survivor.lanes.heldCohorts).toContain('IOC');
    expect(new Set(turns.IOC.map((t) => t.requestId)).size).toBe(30);
    expect(overlaps(turns.IOC)).toEqual([]);
    expect(new Set(turns.IOC.map((t) => t.instance))).toEqual(new Set(['a', 'b']));
    running = running.filter((i) => i !== holder);
    await holder.nc.close();
  });

  it('an instance stopping hands its lanes over gracefully: its queue is finished, then the other takes over', async () => {
    const { a, b, turns } = await pair({ IOC: 2 });
    const holder = a.lanes.heldCohorts.includes('IOC') ? a : b;
    const survivor = holder === a ? b : a;
    // Through both instances, so the stopping holder has its own commands in the lane as well as handed ones.
    const submitted = Array.from({ length: 30 }, (_, n) => submit(n % 2 ? survivor : holder, 'IOC', n));
    await waitFor('some IOC turns done', () => turns.IOC.length >= 5 || undefined, 5_000);
    await holder.lanes.stop(); // releases the leases after the lanes' queues are done
    // Submitted while nobody holds IOC: they wait for the survivor to take the lane.
    const later = Array.from({ length: 10 }, (_, n) => submit(survivor, 'IOC', 100 + n));
    const results = await Promise.all([...submitted, ...later]);
    expect(results.every(countersigned)).toBe(true);
    expect(survivor.lanes.heldCohorts).toEqual([...COHORTS]);
    expect(new Set(turns.IOC.map((t) => t.requestId)).size).toBe(40);
    expect(turns.IOC).toHaveLength(40); // nothing skipped and sent again: the queue was finished, not dropped
    expect(turns.IOC.slice(0, 30).every((t) => t.instance === holder.name)).toBe(true);
    expect(turns.IOC.slice(30).every((t) => t.instance === survivor.name)).toBe(true);
    expect(overlaps(turns.IOC)).toEqual([]);
  });

  it('a lane holder killed with SIGKILL: its lanes are taken over within the lease TTL, no command lost', async () => {
    const name = `dco_lanes_${++bucket}`;
    const child: ServiceProcess = startServiceProcess('services/smets1-adapter/test/dco-lane-holder.ts', {
      NATS_URL: nats.url,
      INSTANCE_ID: 'killed',
      DCO_LANES_BUCKET: name,
      DCO_KEY_PEM: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      DCO_PUBLIC_KEY_PEM: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    try {
      await waitFor(
        'the child holds all three lanes',
        () => /holding \[IOC,MOC,FOC\]/.test(child.output()) || undefined,
        20_000,
      );
      const survivor = await laneInstance({ name: 'survivor', natsUrl: nats.url, keys, bucket: name });
      running.push(survivor);
      // The survivor gets its fair share (two lanes: the child releases one); the child keeps at least one.
      await waitFor(
        'a lane moved to the survivor',
        () => survivor.lanes.heldCohorts.length > 0 || undefined,
        10_000,
      );
      const remote = COHORTS.find((c) => !survivor.lanes.heldCohorts.includes(c))!;
      const before = await Promise.all(Array.from({ length: 10 }, (_, n) => submit(survivor, remote, n)));
      expect(before.every(countersigned)).toBe(true);
      expect(survivor.lanes.handedOff[remote]).toBe(10);
      child.child.kill('SIGKILL');
      await child.exited;
      const killedAt = performance.now();
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, n) => submit(survivor, remote, 100 + n)),
      );
      const takenOverMs = performance.now() - killedAt;
      expect(after.every(countersigned)).toBe(true);
      expect(survivor.lanes.heldCohorts).toEqual([...COHORTS]);
      // Within the lease TTL (1.5 s) and a renewal round, or one hand-off attempt (1 s) the server delivered to
      // the dying holder before it noticed the closed connection, and then the TTL's rest.
      expect(takenOverMs).toBeLessThan(3_000);
    } finally {
      child.child.kill('SIGKILL');
    }
  });
});

describe('the cost of handing a command to another instance’s lane', () => {
  it('measures µs per command through the local lane and through a remote one', async () => {
    const { a, b } = await pair();
    const cohort = a.lanes.heldCohorts[0]!;
    // Timed: submission to countersignature; the test's own checks (ECDSA verification) come after.
    const perCommandUs = async (via: LaneInstance, count: number) => {
      const results = [];
      const started = performance.now();
      for (let n = 0; n < count; n++) results.push(await submit(via, cohort, n));
      const us = ((performance.now() - started) * 1000) / count;
      expect(results.every(countersigned)).toBe(true);
      return us;
    };
    await perCommandUs(a, 50);
    await perCommandUs(b, 50); // warm-up both paths
    const local = await perCommandUs(a, 300);
    const remote = await perCommandUs(b, 300);
    // And with 500 in flight at once: the lane's throughput, µs per command.
    const inFlightUs = async (via: LaneInstance, offset: number) => {
      const started = performance.now();
      const all = await Promise.all(Array.from({ length: 500 }, (_, n) => submit(via, cohort, offset + n)));
      const us = ((performance.now() - started) * 1000) / all.length;
      expect(all.every(countersigned)).toBe(true);
      return us;
    };
    const localBatch = await inFlightUs(a, 1_000);
    const remoteBatch = await inFlightUs(b, 2_000);
    console.log(
      `DCO lane ${cohort}: one at a time: local ${local.toFixed(0)} µs/command, handed to another instance ` +
        `${remote.toFixed(0)} µs/command; 500 in flight: local ${localBatch.toFixed(0)} µs/command, handed ` +
        `over ${remoteBatch.toFixed(0)} µs/command`,
    );
    expect(b.lanes.handedOff[cohort]).toBe(850);
    expect(a.lanes.handedOff[cohort]).toBe(0);
  });
});
