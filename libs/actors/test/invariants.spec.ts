import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStateStore, PartitionLeases, type VirtualActor } from '../src/index.js';
import { journalStore, json, makeSpace, P, publish, startRuntime, tick, until } from './helpers.js';

// The runtime's invariants (libs/actors/README.md), each shown on a real nats-server. Per-actor order, one
// owner per partition at a hand-over and passivation are shown in actor-runtime.spec.ts.

let server: NatsServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});

afterAll(async () => {
  await nc.close();
  await server.stop();
});

const counter: VirtualActor<{ n: number }> = {
  load: (_id, bytes) => json.decode(bytes, { n: 0 }),
  save: (s) => json.encode(s),
  receive: (s) => ({ n: s.n + 1 }),
};

async function pendingMail(stream: string): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
}

describe('ActorRuntime invariants', () => {
  it('acknowledges a message only after the state its turn produced is stored', async () => {
    const space = await makeSpace(nc, 'storefirst');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const puts: string[] = [];
    const store = new MemoryStateStore();
    const slow = Object.assign(Object.create(store) as MemoryStateStore, {
      put: async (p: number, id: string, state: Uint8Array) => {
        puts.push(id);
        await gate; // the store has not confirmed the write yet
        await store.put(p, id, state);
      },
    });
    const runtime = await startRuntime(nc, space, 'one', counter, slow);
    await publish(nc, space, 'meter-1', {});
    await until(() => puts.length === 1);
    await tick(300);
    expect(await pendingMail(space.stream)).toBe(1); // handled, not stored: still in the work queue
    release();
    await until(async () => (await pendingMail(space.stream)) === 0);
    expect(json.decode(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), { n: 0 }).n).toBe(1);
    await runtime.stop();
  });

  it('runs a message whose state could not be stored again, and applies it once', async () => {
    const space = await makeSpace(nc, 'storefail');
    const store = new MemoryStateStore();
    let failures = 1;
    const flaky = Object.assign(Object.create(store) as MemoryStateStore, {
      put: async (p: number, id: string, state: Uint8Array) => {
        if (failures-- > 0) throw new Error('store unavailable');
        await store.put(p, id, state);
      },
    });
    const runtime = await startRuntime(nc, space, 'one', counter, flaky, { retryDelayMs: 100 });
    await publish(nc, space, 'meter-1', {});
    await until(async () => (await pendingMail(space.stream)) === 0);
    expect(runtime.stats.failed).toBe(1);
    // The failed turn's state was dropped from memory, so the redelivery counted from the stored state.
    expect(json.decode(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), { n: 0 }).n).toBe(1);
    await runtime.stop();
  });

  it('fires a reminder once, even when scans overlap while its turn runs', async () => {
    const space = await makeSpace(nc, 'fireonce');
    let fired = 0;
    const runtime = await startRuntime(
      nc,
      space,
      'one',
      {
        load: () => null,
        save: () => new Uint8Array(0),
        receive: async (_s, message, ctx) => {
          if (message.kind === 'mail') await ctx.remind('wake', Date.now());
          else {
            fired++;
            await tick(300); // a slow turn: later scans find the reminder still stored
          }
          return undefined;
        },
      },
      new MemoryStateStore(),
      { reminders: { bucket: space.reminders, tickMs: 50 } },
    );
    await publish(nc, space, 'sleepy', {});
    await until(() => runtime.stats.remindersFired === 1);
    await Promise.all([runtime.scanReminders(), runtime.scanReminders()]);
    await tick(300);
    expect(fired).toBe(1);
    await runtime.stop();
  });

  it('does not store the state of a turn that outlived its lease (the process froze mid-turn)', async () => {
    const space = await makeSpace(nc, 'frozen');
    const store = new MemoryStateStore();
    let freezeNext = true;
    let frozenTurn = false;
    const storedByFrozenTurn: string[] = [];
    const spy = Object.assign(Object.create(store) as MemoryStateStore, {
      put: async (p: number, id: string, state: Uint8Array) => {
        if (frozenTurn) storedByFrozenTurn.push(id);
        frozenTurn = false;
        await store.put(p, id, state);
      },
    });
    const freezing: VirtualActor<{ n: number }> = {
      ...counter,
      receive: (s) => {
        frozenTurn = freezeNext;
        if (freezeNext) {
          freezeNext = false;
          // The whole process stops (as under SIGSTOP or a long GC pause) for longer than the lease TTL
          // (1.5 s in the helpers): no timer runs, so nothing has told the runtime the lease is gone.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_500);
        }
        return { n: s.n + 1 };
      },
    };
    const runtime = await startRuntime(nc, space, 'frozen', freezing, spy);
    await publish(nc, space, 'meter-1', {});
    // Its lease expired during the turn: the turn must not store (another owner may have run the message); the
    // message is delivered again once the partition is served again, and stored then.
    await until(() => runtime.stats.handled === 1, 10_000);
    expect(storedByFrozenTurn).toEqual([]);
    expect(json.decode(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), { n: 0 })).toEqual({
      n: 1,
    });
    await runtime.stop();
  });

  it('never lets a partition have two owners: a lease held by one instance cannot be claimed by another', async () => {
    const space = await makeSpace(nc, 'oneowner');
    const served = new Map<string, Set<number>>();
    const start = (id: string) =>
      PartitionLeases.start({
        nc,
        instanceId: id,
        partitions: P,
        bucket: space.leases,
        ttlMs: 1_500,
        renewMs: 100,
        marginMs: 500,
        onAcquired: (p) => {
          for (const [other, set] of served)
            if (other !== id) expect(set.has(p), `${id} acquired ${p} held by ${other}`).toBe(false);
          served.set(id, (served.get(id) ?? new Set()).add(p));
          return Promise.resolve();
        },
        onLost: (p) => {
          served.get(id)?.delete(p);
          return Promise.resolve();
        },
      });
    const leases = await Promise.all(['a', 'b', 'c'].map(start));
    await until(() => leases.every((l) => l.ownedPartitions.length >= Math.floor(P / 3)), 10_000);
    const owners = leases.flatMap((l) => l.ownedPartitions);
    expect(new Set(owners).size).toBe(owners.length);
    await leases[1]!.stop();
    await until(() => leases[0]!.ownedPartitions.length + leases[2]!.ownedPartitions.length === P, 10_000);
    const after = [leases[0]!, leases[2]!].flatMap((l) => l.ownedPartitions);
    expect(new Set(after).size).toBe(P);
    await Promise.all([leases[0]!.stop(), leases[2]!.stop()]);
  });

  it('a restarted instance with the same id takes back the leases of its dead predecessor at once', async () => {
    const space = await makeSpace(nc, 'reclaim');
    const ttlMs = 20_000; // a hand-over by expiry would take this long
    const leases = { bucket: space.leases, ttlMs, renewMs: 1_000, marginMs: 5_000 };
    const ncOld = await connect({ servers: server.url });
    const durable = () => journalStore(nc, space);
    const old = await startRuntime(ncOld, space, 'x', counter, await durable(), { leases });
    expect(old.ownedPartitions).toHaveLength(P);
    // Crash: nothing released, a message left unanswered in the work queue.
    old.abandon();
    await ncOld.close();
    await publish(nc, space, 'meter-1', {});

    // Another id finds every lease still held; the same id takes them back on its first round.
    const other = await startRuntime(nc, space, 'y', counter, new MemoryStateStore(), { leases });
    expect(other.ownedPartitions).toHaveLength(0);
    await other.stop();
    const restartedAt = performance.now();
    const again = await startRuntime(nc, space, 'x', counter, await durable(), { leases });
    expect(again.ownedPartitions).toHaveLength(P);
    await until(() => again.stats.handled === 1, 5_000);
    expect(performance.now() - restartedAt).toBeLessThan(ttlMs / 4);
    await again.stop();
  });
});
