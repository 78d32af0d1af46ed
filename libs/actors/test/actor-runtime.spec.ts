import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { open } from 'lmdb';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryStateStore,
  partitionOfActor,
  type ActorRuntime,
  type StateStore,
  type VirtualActor,
} from '../src/index.js';
import {
  durableState,
  journalStore,
  json,
  makeSpace,
  P,
  publish,
  startRuntime,
  tick,
  until,
} from './helpers.js';

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

interface Processed {
  partition: number;
  instance: string;
  start: number;
  end: number;
}

/** An actor that applies each message id once (its state lists the ids applied) and records every turn. */
function dedupActor(instance: string, turns: Processed[], delayMs = 1): VirtualActor<{ applied: string[] }> {
  return {
    load: (_id, bytes) => json.decode(bytes, { applied: [] as string[] }),
    save: (state) => json.encode(state),
    receive: async (state, message) => {
      const start = performance.now();
      await tick(delayMs);
      const { id } = JSON.parse(new TextDecoder().decode(message.data)) as { id: string };
      turns.push({ partition: message.partition, instance, start, end: performance.now() });
      if (state.applied.includes(id)) return undefined;
      state.applied.push(id);
      return state;
    },
  };
}

/** An actor counting its messages. */
function counterActor(): VirtualActor<{ n: number }> {
  return {
    load: (_id, bytes) => json.decode(bytes, { n: 0 }),
    save: (s) => json.encode(s),
    receive: (s) => ({ n: s.n + 1 }),
  };
}

describe('ActorRuntime', () => {
  it('handles each actor’s messages one at a time and in order under concurrent senders', async () => {
    const space = await makeSpace(nc, 'order');
    const seen = new Map<string, { sender: number; seq: number }[]>();
    const busy = new Map<string, number>();
    let overlap = 0;
    const runtime = await startRuntime(
      nc,
      space,
      'solo',
      {
        load: () => null,
        save: () => new Uint8Array(0),
        receive: async (_s, message) => {
          const n = (busy.get(message.actorId) ?? 0) + 1;
          busy.set(message.actorId, n);
          if (n > 1) overlap++;
          await tick(Math.random() * 2);
          const body = JSON.parse(new TextDecoder().decode(message.data)) as { sender: number; seq: number };
          seen.set(message.actorId, [...(seen.get(message.actorId) ?? []), body]);
          busy.set(message.actorId, n - 1);
          return undefined;
        },
      },
      new MemoryStateStore(),
    );
    expect(runtime.ownedPartitions).toHaveLength(P);
    const actors = Array.from({ length: 12 }, (_, i) => `actor-${i}`);
    await Promise.all(
      Array.from({ length: 6 }, async (_, sender) => {
        for (let seq = 0; seq < 60; seq++)
          await publish(nc, space, actors[(seq * 7 + sender) % actors.length]!, { sender, seq });
      }),
    );
    await until(() => [...seen.values()].reduce((n, l) => n + l.length, 0) === 360, 20_000);
    expect(overlap).toBe(0);
    for (const list of seen.values())
      for (let sender = 0; sender < 6; sender++) {
        const seqs = list.filter((b) => b.sender === sender).map((b) => b.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    await runtime.stop();
  });

  it('shares partitions fairly between two instances and hands them back on a graceful stop', async () => {
    const space = await makeSpace(nc, 'share');
    const actor = dedupActor('x', []);
    const a = await startRuntime(nc, space, 'a', actor, new MemoryStateStore());
    expect(a.ownedPartitions).toHaveLength(P);
    const b = await startRuntime(nc, space, 'b', actor, new MemoryStateStore());
    await until(() => a.ownedPartitions.length === P / 2 && b.ownedPartitions.length === P / 2, 10_000);
    expect(new Set([...a.ownedPartitions, ...b.ownedPartitions]).size).toBe(P);
    await b.stop();
    await until(() => a.ownedPartitions.length === P, 20_000);
    await a.stop();
    // A graceful stop deletes the instance's consumer.
    const jsm = await jetstreamManager(nc);
    const left = [];
    for await (const c of await jsm.consumers.list(space.stream)) left.push(c.name);
    expect(left).toEqual([]);
  });

  it('takes over from a crashed instance: no partition served by two owners at once, every message applied once', async () => {
    const space = await makeSpace(nc, 'crash');
    const turns: Processed[] = [];
    const ncA = await connect({ servers: server.url });
    const ncB = await connect({ servers: server.url });
    const storeA = await journalStore(ncA, space);
    const storeB = await journalStore(ncB, space);
    const a = await startRuntime(ncA, space, 'a', dedupActor('a', turns, 2), storeA);
    const b = await startRuntime(ncB, space, 'b', dedupActor('b', turns, 2), storeB);
    await until(() => a.ownedPartitions.length === P / 2 && b.ownedPartitions.length === P / 2, 10_000);

    const actors = Array.from({ length: 100 }, (_, i) => `dev-${i}`);
    const sent: [string, string][] = [];
    const sender = (async () => {
      for (let i = 0; i < 1_500; i++) {
        const actorId = actors[i % actors.length]!;
        const id = `m${i}`;
        await publish(nc, space, actorId, { id }, id);
        sent.push([actorId, id]);
        if (i % 50 === 0) await tick(20);
      }
    })();
    await until(() => sent.length > 500 && turns.some((t) => t.instance === 'b'), 10_000);
    // Crash b: it stops renewing and its connection drops, nothing is released.
    b.abandon();
    await ncB.close();
    await sender;
    await until(() => a.ownedPartitions.length === P, 20_000);
    // One consumer per instance: the dead owner's was deleted by the new owner, whose consumer filters all.
    await until(() => a.filteredPartitions.length === P, 10_000);
    const jsm = await jetstreamManager(nc);
    const consumers = [];
    for await (const c of await jsm.consumers.list(space.stream)) consumers.push(c);
    expect(consumers.map((c) => c.name)).toEqual([a.consumerName]);
    expect(consumers[0]!.config.filter_subjects).toHaveLength(P);

    // Every message applied exactly once in the durable record.
    const durable = (actorId: string) => durableState(nc, space, a.partitionOf(actorId), actorId);
    await until(
      async () => {
        let applied = 0;
        for (const actorId of actors) {
          const state = json.decode(await durable(actorId), { applied: [] as string[] });
          applied += state.applied.length;
        }
        return applied === sent.length;
      },
      20_000,
      250,
    );
    for (const actorId of actors) {
      const state = json.decode(await durable(actorId), { applied: [] as string[] });
      const expected = sent.filter(([id]) => id === actorId).map(([, m]) => m);
      expect(new Set(state.applied).size).toBe(state.applied.length);
      expect([...state.applied].sort()).toEqual([...expected].sort());
    }

    // No two owners at once: per partition, turns in start order form runs per instance that never overlap.
    let handOvers = 0;
    for (let p = 0; p < P; p++) {
      const list = turns.filter((t) => t.partition === p).sort((x, y) => x.start - y.start);
      let runEnd = -Infinity;
      let runOwner: string | undefined;
      for (const t of list) {
        if (t.instance !== runOwner) {
          if (runOwner !== undefined) handOvers++;
          expect(t.start).toBeGreaterThanOrEqual(runEnd);
          runOwner = t.instance;
          runEnd = t.end;
        } else runEnd = Math.max(runEnd, t.end);
      }
    }
    expect(handOvers).toBeGreaterThanOrEqual(P / 2);
    await a.stop();
    await storeA.close();
    await storeB.close();
    await ncA.close();
  }, 60_000);

  it('keeps state across a restart: same LMDB directory, and a fresh instance replaying the journal', async () => {
    const space = await makeSpace(nc, 'restart');
    const counter: VirtualActor<{ n: number }> = {
      load: (_id, bytes) => json.decode(bytes, { n: 0 }),
      save: (s) => json.encode(s),
      receive: (s) => ({ n: s.n + 1 }),
    };
    const dir = mkdtempSync(join(tmpdir(), 'dcc-actors-'));
    const run = async (instance: string, lmdbDir: string | undefined, messages: number) => {
      const store = await journalStore(nc, space, lmdbDir);
      const runtime = await startRuntime(nc, space, instance, counter, store);
      const before = runtime.stats.handled;
      for (let i = 0; i < messages; i++) await publish(nc, space, 'meter-1', {});
      await until(() => runtime.stats.handled === before + messages, 10_000);
      await runtime.stop();
      const n = json.decode(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), { n: -1 }).n;
      await store.close();
      return { n, rebuilt: store.stats.partitionsRebuilt };
    };
    expect(await run('one', dir, 5)).toEqual({ n: 5, rebuilt: P }); // an empty directory: nothing to trust
    expect(await run('one', dir, 1)).toEqual({ n: 6, rebuilt: 0 }); // same instance: its LMDB working set
    expect(await run('two', undefined, 1)).toEqual({ n: 7, rebuilt: P }); // other instance: from the journal
    // Back: only the partition 'two' wrote to is rebuilt (7 was written by 'two'); the others are trusted.
    expect(await run('one', dir, 1)).toEqual({ n: 8, rebuilt: 1 });

    // Crash of 'one' after a write, with LMDB behind the journal (as if its last LMDB commit was lost): on
    // restart the partition's range is not trusted, the state comes from the journal.
    const ncCrash = await connect({ servers: server.url });
    const store = await journalStore(ncCrash, space, dir);
    const crashed = await startRuntime(ncCrash, space, 'one', counter, store);
    await publish(nc, space, 'meter-1', {});
    await until(() => crashed.stats.handled === 1, 10_000);
    crashed.abandon();
    await ncCrash.close();
    await store.close();
    const lmdb = open({ path: dir });
    const stale = Buffer.concat([Buffer.alloc(8), Buffer.from(json.encode({ n: 3 }))]);
    await lmdb
      .openDB({ name: 'journal-state', encoding: 'binary' })
      .put([crashed.partitionOf('meter-1'), 'meter-1'], stale);
    await lmdb.close();
    // Every partition it held when it crashed is rebuilt: none was released, so none can be trusted.
    expect(await run('one', dir, 1)).toEqual({ n: 10, rebuilt: P });
  });

  it('starts no turn on a partition before its state store has taken it up, and keeps its lease meanwhile', async () => {
    const space = await makeSpace(nc, 'ready');
    await publish(nc, space, 'meter-1', {});
    const slow = partitionOfActor('meter-1', P);
    const events: string[] = [];
    const inner = new MemoryStateStore();
    // A store that takes its time over one partition (as one rebuilding it from a journal does), while the
    // others are taken up at once and the consumer starts filtering them.
    const store: StateStore = {
      get: (p, id) => {
        events.push(`get ${id}`);
        return inner.get(p, id);
      },
      put: (p, id, state) => inner.put(p, id, state),
      delete: (p, id) => inner.delete(p, id),
      partitionAcquired: async (p) => {
        if (p !== slow) return;
        await tick(1_500);
        events.push('acquired');
      },
      close: () => inner.close(),
    };
    const runtime = await startRuntime(nc, space, 'ready', counterActor(), store);
    await until(() => runtime.stats.handled === 1, 10_000);
    expect(events).toEqual(['acquired', 'get meter-1']);
    // The take-up outlasted the lease TTL (1.5 s): the rounds renewed the lease meanwhile, nothing was lost.
    expect(runtime.ownedPartitions).toHaveLength(P);
    await runtime.stop();
  });

  it('bounds the active set under random access (least recently used idle actors passivated)', async () => {
    const space = await makeSpace(nc, 'lru');
    const ref: { runtime?: ActorRuntime<{ n: number }> } = {};
    let maxSeen = 0;
    const runtime = await startRuntime(
      nc,
      space,
      'lru',
      {
        load: (_id, bytes) => json.decode(bytes, { n: 0 }),
        save: (s) => json.encode(s),
        receive: async (s) => {
          maxSeen = Math.max(maxSeen, ref.runtime!.activeCount);
          await tick(Math.random() * 2);
          return { n: s.n + 1 };
        },
      },
      new MemoryStateStore(),
      { maxActive: 20, idleMs: 60_000 },
    );
    ref.runtime = runtime;
    const total = 1_500;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        publish(nc, space, `a${Math.floor(Math.random() * 500)}`, { i }),
      ),
    );
    await until(() => runtime.stats.handled === total, 20_000);
    expect(maxSeen).toBeLessThanOrEqual(20);
    expect(maxSeen).toBeGreaterThan(1);
    expect(runtime.activeCount).toBeLessThanOrEqual(20);
    expect(runtime.stats.passivations).toBeGreaterThan(100);
    await runtime.stop();
  });

  it('passivates idle actors after the idle timeout', async () => {
    const space = await makeSpace(nc, 'idle');
    const runtime = await startRuntime(
      nc,
      space,
      'idle',
      { load: () => 0, save: () => new Uint8Array(1), receive: (n) => n + 1 },
      new MemoryStateStore(),
      { idleMs: 100 },
    );
    for (let i = 0; i < 10; i++) await publish(nc, space, `idle-${i}`, {});
    await until(() => runtime.stats.handled === 10, 10_000);
    await until(() => runtime.activeCount === 0, 5_000);
    await runtime.stop();
  });

  it('fires durable reminders after a restart on another instance', async () => {
    const space = await makeSpace(nc, 'remind');
    const fired: { instance: string; name: string; late: number }[] = [];
    const actor = (instance: string): VirtualActor<null> => ({
      load: () => null,
      save: () => new Uint8Array(0),
      receive: async (_s, message, ctx) => {
        if (message.kind === 'mail') await ctx.remind('wake', Date.now() + 1_000, json.encode({ hello: 1 }));
        else fired.push({ instance, name: message.reminder!, late: Date.now() - message.dueAt! });
        return undefined;
      },
    });
    const store = new MemoryStateStore();
    const first = await startRuntime(nc, space, 'first', actor('first'), store);
    await publish(nc, space, 'sleepy', {});
    await until(() => first.stats.handled === 1, 10_000);
    await first.stop();
    expect(fired).toEqual([]);
    const second = await startRuntime(nc, space, 'second', actor('second'), store);
    await until(() => fired.length === 1, 10_000);
    expect(fired[0]).toMatchObject({ instance: 'second', name: 'wake' });
    expect(fired[0]!.late).toBeGreaterThanOrEqual(0);
    await tick(600); // fired once only: deleted after it was handled
    expect(fired).toHaveLength(1);
    await second.stop();
  });
});
