import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryStateStore,
  PartitionLeases,
  partitionOfActor,
  type ActorMessage,
  type VirtualActor,
} from '../src/index.js';
import { json, makeSpace, P, publish, startRuntime, until } from './helpers.js';

// Per-actor order when a turn fails: a meter refuses a command whose RequestID counter is not above the last
// one it ran, so a newer command that overtakes an older one turns the older one's answer into a refusal.

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

interface Meter {
  last: number;
  ran: number[];
  refused: number[];
}

/** Runs counter `n` only above the last one it ran, as a meter does; refusals are recorded, not thrown. */
const meter: VirtualActor<Meter> = {
  load: (_id, bytes) => json.decode<Meter>(bytes, { last: 0, ran: [], refused: [] }),
  save: (s) => json.encode(s),
  receive: (s, message) => {
    const { n } = JSON.parse(new TextDecoder().decode(message.data)) as { n: number };
    return n > s.last
      ? { last: n, ran: [...s.ran, n], refused: s.refused }
      : { ...s, refused: [...s.refused, n] };
  },
};

async function pendingMail(stream: string): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
}

describe('per-actor order after a failed turn', () => {
  it('runs a failed message again before the same actor’s newer mail, which waits behind it', async () => {
    const space = await makeSpace(nc, 'failorder');
    // The actor's three commands are all in the mailbox when the first turn fails (a backlog after a
    // hand-over), and storing the first one's state fails once (the bus timed out under load).
    for (const n of [1, 2, 3]) await publish(nc, space, 'meter-1', { n });
    const store = new MemoryStateStore();
    let failures = 1;
    const flaky = Object.assign(Object.create(store) as MemoryStateStore, {
      put: async (p: number, id: string, state: Uint8Array) => {
        if (failures-- > 0) throw new Error('store unavailable');
        await store.put(p, id, state);
      },
    });
    const runtime = await startRuntime(nc, space, 'one', meter, flaky, { retryDelayMs: 200 });
    await until(async () => (await pendingMail(space.stream)) === 0);
    const stored = json.decode<Meter>(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), {
      last: 0,
      ran: [],
      refused: [],
    });
    expect(runtime.stats.failed).toBe(1);
    expect(stored).toEqual({ last: 3, ran: [1, 2, 3], refused: [] });
    await runtime.stop();
  });

  it('takes over a crashed instance’s mail in order when the first load on the new owner fails', async () => {
    const space = await makeSpace(nc, 'crashorder');
    const ncB = await connect({ servers: server.url });
    const store = new MemoryStateStore(); // the durable record both instances share
    let loadFails = false;
    const flaky = Object.assign(Object.create(store) as MemoryStateStore, {
      get: async (p: number, actor: string) => {
        if (loadFails) {
          loadFails = false;
          throw new Error('state store timed out'); // the survivor is overloaded by the taken-over backlog
        }
        return store.get(p, actor);
      },
    });
    const started: number[] = [];
    // b's turns never finish: its commands are in flight, unacknowledged, when it dies.
    const stalled: VirtualActor<Meter> = {
      ...meter,
      receive: (_s, message) => {
        started.push((JSON.parse(new TextDecoder().decode(message.data)) as { n: number }).n);
        return new Promise<never>(() => undefined);
      },
    };
    const a = await startRuntime(nc, space, 'a', meter, flaky, { retryDelayMs: 200 });
    const b = await startRuntime(ncB, space, 'b', stalled, store);
    await until(() => a.filteredPartitions.length === P / 2 && b.filteredPartitions.length === P / 2);
    const id = Array.from({ length: 100 }, (_, i) => `meter-${i}`).find((x) =>
      b.ownedPartitions.includes(partitionOfActor(x, P)),
    )!;
    for (const n of [1, 2, 3]) await publish(nc, space, id, { n });
    await until(() => started.includes(1));
    // b crashes: nothing acked, nak'ed or released. a takes its partitions once the leases lapse.
    b.abandon();
    await ncB.close();
    loadFails = true;
    await until(async () => (await pendingMail(space.stream)) === 0, 15_000);
    expect(loadFails).toBe(false);
    expect(
      json.decode<Meter>(await store.get(partitionOfActor(id, P), id), { last: 0, ran: [], refused: [] }),
    ).toEqual({
      last: 3,
      ran: [1, 2, 3],
      refused: [],
    });
    await a.stop();
  });

  it('lets a hand-over go on while a turn keeps failing, and still runs that actor’s mail in order', async () => {
    const space = await makeSpace(nc, 'stuckturn');
    // An actor in a partition the first instance keeps (it releases its highest ones to a newcomer).
    const id = Array.from({ length: 100 }, (_, i) => `meter-${i}`).find((a) => partitionOfActor(a, P) === 0)!;
    for (const n of [1, 2]) await publish(nc, space, id, { n });
    const store = new MemoryStateStore();
    let broken = true;
    const failing = Object.assign(Object.create(store) as MemoryStateStore, {
      put: async (p: number, actor: string, state: Uint8Array) => {
        if (broken) throw new Error('store unavailable');
        await store.put(p, actor, state);
      },
    });
    // Long leases: a hand-over stalled by the failing turn would show as one not done long before they lapse.
    const leases = { bucket: space.leases, ttlMs: 12_000, renewMs: 500, marginMs: 4_000 };
    const one = await startRuntime(nc, space, 'one', meter, failing, { retryDelayMs: 50, leases });
    await until(() => one.stats.failed >= 2);
    // A newcomer: the first instance re-creates its consumer for half the partitions, which waits for running
    // turns; the failing one gives way (its mail and the actor's later mail come again from the new consumer).
    const two = await startRuntime(nc, space, 'two', meter, store, { leases });
    await until(
      () => one.filteredPartitions.length === P / 2 && two.filteredPartitions.length === P / 2,
      6_000,
    );
    expect(await store.get(0, id)).toBeUndefined(); // the newer command never overtook the failing one
    broken = false;
    await until(async () => (await pendingMail(space.stream)) === 0);
    expect(json.decode<Meter>(await store.get(0, id), { last: 0, ran: [], refused: [] })).toEqual({
      last: 2,
      ran: [1, 2],
      refused: [],
    });
    await two.stop();
    await one.stop();
  });

  it('stops owning a partition as soon as its lease is seen past its deadline: a late renewal cannot revive it', async () => {
    const lost: number[] = [];
    const leases = await PartitionLeases.start({
      nc,
      instanceId: 'frozen',
      partitions: 2,
      bucket: 'leases_latch',
      ttlMs: 1_500,
      renewMs: 200,
      marginMs: 500,
      onAcquired: () => Promise.resolve(),
      onLost: (p) => {
        lost.push(p);
        return Promise.resolve();
      },
    });
    expect(leases.ownedPartitions).toEqual([0, 1]);
    // The process stalls past the deadline (a loaded machine): renewals and the watchdog both run late.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1_200);
    // Mail or a turn that asks now is refused; from then on the partition is gone, whatever renewal lands
    // first, so mail left unacknowledged meanwhile is redelivered (in stream order) by a re-created consumer
    // and never waits out the ack wait behind the actor's newer mail.
    expect(leases.holds(0)).toBe(false);
    expect(leases.owns(0)).toBe(false);
    await leases.tick();
    expect(leases.holds(0)).toBe(false);
    expect(lost).toContain(0);
    await leases.stop();
  });
});

// Mail that needs no order with an actor's other mail (a keypad entry at the premises) runs while an earlier turn
// is retried in place (a command the WAN holds), instead of waiting behind it; the ordered mail still runs in order.
interface KeypadMeter {
  last: number;
  ran: number[];
  refused: number[];
  keyedIn: string[];
}

const bodyOf = (message: ActorMessage) =>
  JSON.parse(new TextDecoder().decode(message.data)) as { n?: number; keyed?: string };

describe('mail that may overtake a retried turn', () => {
  it('runs while the actor’s held command is retried; the held commands then run in order', async () => {
    const space = await makeSpace(nc, 'overtake');
    let wanDown = true;
    const meter: VirtualActor<KeypadMeter> = {
      load: (_id, bytes) => json.decode<KeypadMeter>(bytes, { last: 0, ran: [], refused: [], keyedIn: [] }),
      save: (s) => json.encode(s),
      receive: (s, message) => {
        const { n, keyed } = bodyOf(message);
        if (keyed !== undefined) return { ...s, keyedIn: [...s.keyedIn, keyed] };
        if (wanDown) throw new Error('region out of service'); // a transient failure: retried in place
        return n! > s.last ? { ...s, last: n!, ran: [...s.ran, n!] } : { ...s, refused: [...s.refused, n!] };
      },
    };
    const store = new MemoryStateStore();
    const runtime = await startRuntime(nc, space, 'one', meter, store, {
      retryDelayMs: 100,
      overtakes: (message) => bodyOf(message).keyed !== undefined,
    });
    const stored = async () =>
      json.decode<KeypadMeter>(await store.get(runtime.partitionOf('meter-1'), 'meter-1'), {
        last: 0,
        ran: [],
        refused: [],
        keyedIn: [],
      });
    for (const n of [1, 2]) await publish(nc, space, 'meter-1', { n });
    await until(() => runtime.stats.failed >= 2);
    await publish(nc, space, 'meter-1', { keyed: 'utrn-1' });
    await until(async () => (await stored()).keyedIn.length === 1);
    expect(await stored()).toEqual({ last: 0, ran: [], refused: [], keyedIn: ['utrn-1'] });
    wanDown = false;
    await until(async () => (await stored()).ran.length === 2);
    expect(await stored()).toEqual({ last: 2, ran: [1, 2], refused: [], keyedIn: ['utrn-1'] });
    await runtime.stop();
  });
});
