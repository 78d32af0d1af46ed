import {
  DirectKv,
  jetStreamReplicas,
  KvWriteRefused,
  MAX_KEYS_PER_BATCH,
  type DirectKvEntry,
  type Requester,
} from '@dcc/bus';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { Coalescer } from './coalescer.js';
import {
  decodeFloors,
  encodeFloors,
  type FloorRecord,
  type FloorStore,
  type StoredFloors,
} from './counter-floors.js';

/** A pair's stored high-water mark and the KV revision it was read or written at (for compare-and-set). */
export interface StoredMark {
  counter: bigint;
  revision: number;
}

/** Where the hub's RequestID high-water marks outlive the process (and nats-server restarts). */
export interface CounterMarkStore {
  read(pair: string): Promise<StoredMark | undefined>;
  /**
   * Raises the pair's mark to `counter` unless a higher or equal one is stored (another instance may have moved
   * it). `known` is the caller's last view of the record; resolves with the mark now stored.
   */
  advance(pair: string, counter: bigint, known?: StoredMark): Promise<StoredMark>;
}

const BUCKET = 'REQUEST_COUNTERS';
const FLOORS_BUCKET = 'REQUEST_COUNTER_FLOORS';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Reads on the way at once; reads of pairs not cached that arrive meanwhile go together in the next one. */
const READS_IN_FLIGHT = 4;

/**
 * High-water marks in JetStream KV, one key per originator–target pair ("<originator>.<target>"), value the
 * counter in decimal (DUIS counters exceed 2^53). Writes are compare-and-set on the key's revision, so two
 * access-control instances never lower a mark. A mark ages out a window after the pair's last request (the
 * bucket's TTL), so nats-server holds per-key state only for the pairs addressed within it, not for the whole
 * estate; beyond it the floor of the originator's counters stands in (counter-floors.ts). Reads and writes are
 * per request, so they go through the process's Requester (DirectKv), not the KV client's request path.
 * Concurrent reads share messages (coalescer.ts): beyond a few on the way, the pairs queued meanwhile are read in one batched direct get, which
 * answers each as a read of its own at that moment would (a check only ever sees a mark as recent or more so).
 */
export class KvCounterMarks implements CounterMarkStore {
  private readonly reads: Coalescer<string, DirectKvEntry | undefined>;

  private constructor(private readonly kv: DirectKv) {
    this.reads = new Coalescer((pairs) => this.readMany(pairs), READS_IN_FLIGHT, MAX_KEYS_PER_BATCH);
  }

  static async open(nc: NatsConnection, requester: Requester, windowMs: number): Promise<KvCounterMarks> {
    const kv = await new Kvm(nc).create(BUCKET, { history: 1, ttl: windowMs, replicas: jetStreamReplicas() });
    await keepTtl(nc, kv, windowMs);
    return new KvCounterMarks(await DirectKv.of(requester, kv));
  }

  async read(pair: string): Promise<StoredMark | undefined> {
    const entry = await this.reads.ask(pair);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { counter: BigInt(decoder.decode(entry.value)), revision: entry.revision };
  }

  private async readMany(pairs: string[]): Promise<(DirectKvEntry | undefined)[]> {
    if (pairs.length === 1) return [await this.kv.get(pairs[0]!)];
    const found = await this.kv.getMany([...new Set(pairs)]); // a pair asked twice is read once
    return pairs.map((pair) => found.get(pair));
  }

  async advance(pair: string, counter: bigint, known?: StoredMark): Promise<StoredMark> {
    let current = known;
    for (;;) {
      if (current && current.counter >= counter) return current;
      try {
        const value = encoder.encode(counter.toString());
        const revision = current
          ? await this.kv.put(pair, value, current.revision)
          : await this.kv.create(pair, value);
        return { counter, revision };
      } catch (error) {
        if (!(error instanceof KvWriteRefused && error.conflict)) throw error;
        current = await this.read(pair); // someone else wrote it: compare with what is stored now
      }
    }
  }
}

/**
 * The counter sequences' floor records (counter-floors.ts) in JetStream KV, one key per originator and counter
 * length ("<originator>.<digits>"), kept for ever: a few small keys per User, each written at most once per
 * coalesced batch of that sequence's accepted requests.
 */
export class KvCounterFloors implements FloorStore {
  private constructor(private readonly kv: DirectKv) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<KvCounterFloors> {
    const kv = await new Kvm(nc).create(FLOORS_BUCKET, { history: 1, replicas: jetStreamReplicas() });
    return new KvCounterFloors(await DirectKv.of(requester, kv));
  }

  async read(sequence: string): Promise<StoredFloors | undefined> {
    const entry = await this.kv.get(sequence);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { record: decodeFloors(decoder.decode(entry.value)), revision: entry.revision };
  }

  async write(sequence: string, record: FloorRecord, revision: number): Promise<number | undefined> {
    try {
      return await this.kv.put(sequence, encoder.encode(encodeFloors(record)), revision);
    } catch (error) {
      if (error instanceof KvWriteRefused && error.conflict) return undefined;
      throw error;
    }
  }
}

/** A bucket made with another TTL (an earlier setting or release) is given this one; its keys age out by it. */
async function keepTtl(nc: NatsConnection, kv: KV, ttlMs: number): Promise<void> {
  const status = await kv.status();
  if (status.ttl === ttlMs) return;
  const jsm = await jetstreamManager(nc);
  const config = status.streamInfo.config;
  const maxAge = ttlMs * 1_000_000; // nanoseconds
  await jsm.streams.update(config.name, {
    ...config,
    max_age: maxAge,
    duplicate_window: Math.min(config.duplicate_window, maxAge), // the server refuses a longer one
  });
}
