import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { JournalStateStore, keyToken } from '../src/index.js';
import { durableState, journalStore, json, type Space } from './helpers.js';

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

const space = (name: string) => ({ state: `STATE_${name}` }) as Space;
const actors = Array.from({ length: 30 }, (_, i) => `meter-${i}`);

/** Messages on one partition's subject of the journal. */
async function journalLength(s: Space, partition: number): Promise<number> {
  const subject = JournalStateStore.subject(s.state, partition);
  const info = await (await jetstreamManager(nc)).streams.info(s.state, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

/** Every actor's state as a new owner would replay it. */
async function replayed(s: Space, partition: number): Promise<(number | undefined)[]> {
  const out = [];
  for (const id of actors) {
    const state = await durableState(nc, s, partition, id);
    out.push(state ? json.decode(state, { n: -1 }).n : undefined);
  }
  return out;
}

/** Rounds of writes, each putting every actor's next value at once (as concurrent actors of one partition do). */
async function writeRounds(store: JournalStateStore, rounds: number): Promise<number[]> {
  const last = actors.map(() => 0);
  for (let round = 1; round <= rounds; round++) {
    await Promise.all(actors.map((id) => store.put(0, id, json.encode({ n: round }))));
    last.fill(round);
  }
  return last;
}

describe('JournalStateStore', () => {
  it('keeps one subject per partition in the stream, not one per actor', async () => {
    const s = space('layout');
    const store = await journalStore(nc, s);
    for (const p of [0, 1, 2]) await store.partitionAcquired(p, 'a', () => true);
    for (const [i, id] of actors.entries()) await store.put(i % 3, id, json.encode({ n: i }));
    const info = await (await jetstreamManager(nc)).streams.info(s.state, { subjects_filter: '>' });
    expect(Object.keys(info.state.subjects ?? {})).toHaveLength(3);
    expect(info.state.messages).toBe(actors.length);
    expect(json.decode(await store.get(1, 'meter-4'), {})).toEqual({ n: 4 });
    await store.close();
  });

  it('compacts a partition: its journal stays bounded and replays to the same states', async () => {
    const s = space('compact');
    const store = await journalStore(nc, s, undefined, { tailFactor: 1, minTail: 20 });
    await store.partitionAcquired(0, 'a', () => true);
    const expected = await writeRounds(store, 40); // 1,200 puts of 30 actors, writes racing each compaction
    await store.partitionReleased(0);
    expect(store.stats.compactions).toBeGreaterThan(5);
    // At most the live states' tail and its minimum, plus one snapshot's mark, chunk and end, plus a round.
    expect(await journalLength(s, 0)).toBeLessThanOrEqual(actors.length + 20 + 3 + actors.length);
    expect(await replayed(s, 0)).toEqual(expected);
    await store.close();
  });

  it('forgets a deleted state through later snapshots', async () => {
    const s = space('delete');
    const store = await journalStore(nc, s, undefined, { tailFactor: 1, minTail: 5 });
    await store.partitionAcquired(0, 'a', () => true);
    await writeRounds(store, 2);
    await store.delete(0, 'meter-3');
    const expected = await writeRounds(store, 3);
    await store.delete(0, 'meter-7');
    await store.partitionReleased(0);
    expect(store.stats.compactions).toBeGreaterThan(0);
    expect(await store.get(0, 'meter-7')).toBeUndefined();
    const states = await replayed(s, 0);
    expect(states[3]).toBe(3); // written again after its delete
    expect(states[7]).toBeUndefined();
    expect(states.filter((n) => n !== expected[0])).toEqual([undefined]);
    await store.close();
  });

  it('a compaction whose owner lost the partition stops before it purges: nothing is lost', async () => {
    const s = space('fenced');
    const errors: string[] = [];
    const store = await JournalStateStore.open(nc, {
      stream: s.state,
      dir: mkdtempSync(join(tmpdir(), 'dcc-actors-')),
      tailFactor: 1,
      minTail: 20,
      onError: (_error, where) => errors.push(where),
    });
    let held = true;
    await store.partitionAcquired(0, 'a', () => held);
    await writeRounds(store, 1);
    const length = await journalLength(s, 0);
    held = false; // lost, not released: the next compaction may not even write its mark
    const expected = await writeRounds(store, 1);
    await expect.poll(() => errors.length).toBeGreaterThan(0);
    expect(errors[0]).toBe('compaction of partition 0');
    expect(store.stats.compactions).toBe(0);
    expect(await journalLength(s, 0)).toBe(length + actors.length);
    expect(await replayed(s, 0)).toEqual(expected);
    await store.close();
  });

  it('never trusts a working set built from an earlier stream of the same name, even where the sequences match', async () => {
    const s = space('recreated');
    const dir = mkdtempSync(join(tmpdir(), 'dcc-actors-'));
    const earlier = await journalStore(nc, s, dir);
    await earlier.partitionAcquired(0, 'a', () => true);
    await earlier.put(0, 'meter-0', json.encode({ n: 1 })); // sequence 1 of the earlier stream
    await earlier.partitionReleased(0); // records: partition 0 ends at sequence 1
    await earlier.close();
    // The stream is created anew (another nats-server, or deleted and added again): it numbers from 1 again.
    await (await jetstreamManager(nc)).streams.delete(s.state);
    const other = await journalStore(nc, s);
    await other.partitionAcquired(0, 'b', () => true);
    await other.put(0, 'meter-1', json.encode({ n: 2 })); // sequence 1 of the new stream
    await other.partitionReleased(0);
    await other.close();

    const again = await journalStore(nc, s, dir);
    await again.partitionAcquired(0, 'a', () => true);
    expect(again.stats.partitionsRebuilt).toBe(1);
    expect(await again.get(0, 'meter-0')).toBeUndefined();
    expect(json.decode(await again.get(0, 'meter-1'), {})).toEqual({ n: 2 });
    await again.close();
  });

  it('a new owner replays the journal of a crashed one, snapshot included', async () => {
    const s = space('crashed');
    const first = await journalStore(nc, s, undefined, { tailFactor: 1, minTail: 10 });
    await first.partitionAcquired(0, 'a', () => true);
    await writeRounds(first, 10);
    expect(first.stats.compactions).toBeGreaterThan(0);
    await first.close(); // crash: not released
    const next = await journalStore(nc, s);
    await next.partitionAcquired(0, 'b', () => true);
    expect(next.stats.partitionsRebuilt).toBe(1);
    expect(json.decode(await next.get(0, 'meter-29'), {})).toEqual({ n: 10 });
    await next.put(0, 'meter-29', json.encode({ n: 11 }));
    await next.close();
    expect((await replayed(s, 0)).at(-1)).toBe(11);
  });

  it('a new owner taking up many partitions together rebuilds them all in one read of the journal', async () => {
    const s = space('many');
    const partitions = Array.from({ length: 12 }, (_, p) => p);
    const first = await journalStore(nc, s);
    await Promise.all(partitions.map((p) => first.partitionAcquired(p, 'a', () => true)));
    for (const [i, id] of actors.entries()) await first.put(i % 12, id, json.encode({ n: i }));
    await first.delete(5, 'meter-5');
    await first.close(); // crash
    const next = await journalStore(nc, s);
    await Promise.all(partitions.map((p) => next.partitionAcquired(p, 'b', () => true)));
    expect(next.stats.partitionsRebuilt).toBe(12);
    const states = await Promise.all(
      actors.map(async (id, i) => json.decode(await next.get(i % 12, id), { n: -1 }).n),
    );
    expect(states).toEqual(actors.map((_, i) => (i === 5 ? -1 : i)));
    await next.close();
  });

  it('carries the states of the one-key-per-actor KV bucket of earlier releases into the journal, once', async () => {
    const s = space('legacy');
    const kv = await new Kvm(nc).create('legacy_state', { history: 1 });
    const odd = 'meter.with.dots';
    await kv.put(`s.0.${keyToken('meter-1')}`, json.encode({ n: 1 }));
    await kv.put(`s.0.${keyToken(odd)}`, json.encode({ n: 2 }));
    await kv.put(`s.0.${keyToken('meter-gone')}`, json.encode({ n: 3 }));
    await kv.delete(`s.0.${keyToken('meter-gone')}`);
    await kv.put(`s.1.${keyToken('meter-9')}`, json.encode({ n: 9 }));
    await kv.put('g.0', 'generation of earlier releases');
    const open = () =>
      JournalStateStore.open(nc, {
        stream: s.state,
        dir: mkdtempSync(join(tmpdir(), 'dcc-actors-')),
        legacyKvBucket: 'legacy_state',
      });

    const first = await open();
    await first.partitionAcquired(0, 'a', () => true);
    expect(first.stats.statesImported).toBe(2);
    expect(json.decode(await first.get(0, 'meter-1'), {})).toEqual({ n: 1 });
    expect(json.decode(await first.get(0, odd), {})).toEqual({ n: 2 });
    expect(await first.get(0, 'meter-gone')).toBeUndefined();
    await first.put(0, 'meter-1', json.encode({ n: 10 }));
    await first.partitionReleased(0);
    await first.close();
    // Partition 0's keys are gone from the bucket; partition 1's wait for its owner.
    expect(await kv.get(`s.0.${keyToken('meter-1')}`)).toBeNull();
    expect(json.decode((await kv.get(`s.1.${keyToken('meter-9')}`))?.value, {})).toEqual({ n: 9 });

    const next = await open();
    await next.partitionAcquired(0, 'b', () => true);
    await next.partitionAcquired(1, 'b', () => true);
    expect(next.stats.statesImported).toBe(1);
    expect(json.decode(await next.get(0, 'meter-1'), {})).toEqual({ n: 10 });
    expect(json.decode(await next.get(1, 'meter-9'), {})).toEqual({ n: 9 });
    await next.close();
  });
});
