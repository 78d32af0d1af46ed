import { findStream, jetStreamReplicas, parsePubAck, Requester } from '@dcc/bus';
import {
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { open, type Database, type RootDatabase } from 'lmdb';
import { JournalReplay } from './journal-replay.js';
import { importLegacyPartition } from './legacy-state-import.js';
import type { StateStore } from './state-store.js';
import {
  CHUNK_BYTES,
  encodeChunk,
  journalHeaders,
  type JournalOp,
  type SnapshotEntry,
} from './state-journal.js';

export interface JournalStateStoreOptions {
  /** The journal's stream; its subjects are `<stream>.<partition>` in lower case. */
  stream: string;
  /** The LMDB working set's directory (one per instance; it can be lost, the journal is the record). */
  dir: string;
  /**
   * Compaction: a partition's journal is snapshotted once it holds more than `tailFactor` × its live states
   * plus `minTail` messages, which bounds the replay after a crash and the disk to a few times the live state.
   */
  tailFactor?: number;
  minTail?: number;
  replicas?: number;
  /**
   * The KV bucket of earlier releases (one key per actor, `s.<partition>.<token>`): each partition's states
   * still there are carried into its journal when it is acquired (legacy-state-import.ts).
   */
  legacyKvBucket?: string;
  /** Where a failed background compaction is reported (it is retried after the next write). */
  onError?: (error: unknown, where: string) => void;
}

/** The partition as its owner knows it. */
interface OwnedPartition {
  subject: string;
  /** Messages on the subject (the stream's count at acquisition, plus what this owner appended or purged). */
  messages: number;
  /** Live states in the working set. */
  entries: number;
  /** The subject's last sequence: recorded at a graceful release, compared at the next acquisition. */
  lastSeq: number;
  /** Whether this instance still owns the partition (compaction stops, and never purges, once it does not). */
  holds: () => boolean;
  writes: Set<Promise<unknown>>;
  compacting?: Promise<void>;
}

const SEQ_BYTES = 8;
const DIRTY = -1;
const EMPTY = new Uint8Array(0);

/**
 * Actor state with one JetStream subject per partition as the durable record and LMDB as the working set, so
 * nats-server holds per-subject state for P partitions, not for every actor (a KV key per actor costs
 * nats-server 160-240 B of memory each: 5-7 GB at 30 million meters).
 *
 * - `put` journals the state (awaiting the stream's acknowledgement: the runtime acks the causing message only
 *   after that), then writes it to LMDB with the sequence that journaled it; `get` reads LMDB only.
 * - On acquisition the partition's LMDB range is trusted only if this instance recorded, at its graceful
 *   release, the very sequence the subject ends at now (no one wrote since); otherwise the range is rebuilt by
 *   replaying the subject (state-journal.ts); the partitions taken up together are replayed in one pass of the
 *   stream (journal-replay.ts).
 * - Compaction: the owner writes a `mark`, waits for the writes already under way, copies the partition's LMDB
 *   range into `snap` chunks, writes `end` and purges the subject before the mark. A crash at any step leaves a
 *   journal that replays to the same states.
 */
export class JournalStateStore implements StateStore {
  /**
   * Partitions rebuilt from the journal on acquisition, snapshots completed (each purging the journal), states
   * carried over from the legacy KV bucket.
   */
  readonly stats = { partitionsRebuilt: 0, compactions: 0, statesImported: 0 };
  private readonly owned = new Map<number, OwnedPartition>();
  private readonly root: RootDatabase;
  private readonly state: Database<Buffer, [number, string]>;
  /** `j/<partition>`: the sequence recorded at a graceful release; `journal`: the identity of the stream. */
  private readonly meta: Database<number | string, string>;
  private readonly replay: JournalReplay;
  private readonly tailFactor: number;
  private readonly minTail: number;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly requester: Requester,
    private readonly options: JournalStateStoreOptions,
    /** The legacy bucket, when it exists. */
    private readonly legacy: string | undefined,
  ) {
    this.root = open({ path: options.dir, compression: false });
    this.state = this.root.openDB<Buffer, [number, string]>({ name: 'journal-state', encoding: 'binary' });
    this.meta = this.root.openDB<number | string, string>({
      name: 'journal-meta',
      encoding: 'ordered-binary',
    });
    this.replay = new JournalReplay(nc, options.stream, subjectPrefix(options.stream));
    this.tailFactor = options.tailFactor ?? 1;
    this.minTail = options.minTail ?? 10_000;
  }

  static async open(nc: NatsConnection, options: JournalStateStoreOptions): Promise<JournalStateStore> {
    const jsm = await jetstreamManager(nc);
    const config = {
      name: options.stream,
      subjects: [`${subjectPrefix(options.stream)}.*`],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.New,
      allow_direct: true,
      num_replicas: options.replicas ?? jetStreamReplicas(),
    };
    const info = (await findStream(jsm, config.name)) ?? (await jsm.streams.add(config));
    const legacy = options.legacyKvBucket;
    const hasLegacy = legacy !== undefined && (await findStream(jsm, `KV_${legacy}`)) !== undefined;
    const store = new JournalStateStore(nc, jsm, new Requester(nc), options, hasLegacy ? legacy : undefined);
    await store.belongTo(`${info.config.name}@${info.created}`);
    return store;
  }

  /**
   * A working set describes one journal: a stream of the same name created anew (another nats-server, a
   * stream deleted and added again) numbers its messages from 1 again, so a sequence recorded at a release
   * would match by chance and a stale range would be trusted. Built from another journal, it is emptied.
   */
  private async belongTo(journal: string): Promise<void> {
    if (this.meta.get('journal') === journal) return;
    // The records of trust first, so a crash half way leaves nothing trusted (the next open clears again).
    await this.meta.clearAsync();
    await this.state.clearAsync();
    await this.meta.put('journal', journal);
  }

  static subject(stream: string, partition: number): string {
    return `${subjectPrefix(stream)}.${partition}`;
  }

  get(partition: number, actorId: string): Promise<Uint8Array | undefined> {
    const stored = this.state.get([partition, actorId]);
    return Promise.resolve(stored?.subarray(SEQ_BYTES));
  }

  put(partition: number, actorId: string, state: Uint8Array): Promise<void> {
    return this.write(partition, actorId, state);
  }

  delete(partition: number, actorId: string): Promise<void> {
    return this.write(partition, actorId, undefined);
  }

  async partitionAcquired(partition: number, _instanceId: string, holds: () => boolean): Promise<void> {
    const subject = JournalStateStore.subject(this.options.stream, partition);
    if (this.legacy)
      this.stats.statesImported += await importLegacyPartition(
        this.nc,
        this.jsm,
        this.requester,
        this.legacy,
        partition,
        subject,
      );
    const info = await this.jsm.streams.info(this.options.stream, { subjects_filter: subject });
    const messages = info.state.subjects?.[subject] ?? 0;
    const last = messages
      ? ((await this.jsm.direct.getMessage(this.options.stream, { last_by_subj: subject }))?.seq ?? 0)
      : 0;
    if (this.meta.get(`j/${partition}`) !== last) await this.rebuild(partition, subject, last);
    await this.meta.put(`j/${partition}`, DIRTY);
    const entries = this.state.getKeysCount({ start: [partition], end: [partition + 1] });
    this.owned.set(partition, { subject, messages, entries, lastSeq: last, holds, writes: new Set() });
  }

  async partitionReleased(partition: number): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned) return;
    await owned.compacting;
    await Promise.allSettled(owned.writes);
    this.owned.delete(partition);
    await this.meta.put(`j/${partition}`, owned.lastSeq);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.owned.values()].map((o) => o.compacting));
    this.requester.close();
    await this.root.close();
  }

  private async write(partition: number, actorId: string, state: Uint8Array | undefined): Promise<void> {
    const owned = this.owned.get(partition);
    if (!owned) throw new Error(`partition ${partition} is not held by this state store`);
    const done = (async () => {
      const seq = await this.append(owned, state ? 'put' : 'del', state ?? EMPTY, actorId);
      const existed = this.state.doesExist([partition, actorId]);
      if (state) {
        await this.state.put([partition, actorId], withSeq(seq, state));
        if (!existed) owned.entries++;
      } else if (existed) {
        await this.state.remove([partition, actorId]);
        owned.entries--;
      }
    })();
    owned.writes.add(done);
    try {
      await done;
    } finally {
      owned.writes.delete(done);
    }
    this.compactIfDue(partition, owned);
  }

  private async append(owned: OwnedPartition, op: JournalOp, data: Uint8Array, actorId?: string) {
    if (op !== 'put' && op !== 'del' && !owned.holds()) throw new Error(`${owned.subject}: no longer owned`);
    const reply = await this.requester.request(owned.subject, data, journalHeaders(op, actorId));
    const { seq } = parsePubAck(reply.data, owned.subject);
    owned.messages++;
    owned.lastSeq = Math.max(owned.lastSeq, seq);
    return seq;
  }

  /** Rebuilds the partition's LMDB range from its journal, read in order up to `last`. */
  private async rebuild(partition: number, subject: string, last: number): Promise<void> {
    const range = { start: [partition], end: [partition + 1] };
    // Nothing journaled and nothing cached (a new partition, the common case at a first start): no write
    // transaction, which under a loaded disk costs a commit per partition taken up.
    if (last === 0 && this.state.getKeysCount(range) === 0) {
      this.stats.partitionsRebuilt++;
      return;
    }
    const fold = await this.replay.replay({ subject, last });
    await this.state.transaction(() => {
      for (const key of this.state.getKeys(range)) this.state.remove(key);
      for (const [actorId, { seq, state }] of fold.states)
        if (state) this.state.put([partition, actorId], withSeq(seq, state));
    });
    this.stats.partitionsRebuilt++;
  }

  private compactIfDue(partition: number, owned: OwnedPartition): void {
    if (owned.compacting || owned.messages <= owned.entries * this.tailFactor + this.minTail) return;
    owned.compacting = this.compact(partition, owned)
      .catch((error: unknown) => this.options.onError?.(error, `compaction of partition ${partition}`))
      .finally(() => (owned.compacting = undefined));
  }

  private async compact(partition: number, owned: OwnedPartition): Promise<void> {
    // Writes under way may have journaled before the mark without having reached LMDB yet: wait for them, so
    // the chunks hold every state the purge removes. Later writes journal after the mark and are kept.
    const before = [...owned.writes];
    const mark = await this.append(owned, 'mark', EMPTY);
    await Promise.allSettled(before);
    let chunk: SnapshotEntry[] = [];
    let bytes = 0;
    for (const { key, value } of this.state.getRange({ start: [partition], end: [partition + 1] })) {
      const state = value.subarray(SEQ_BYTES);
      chunk.push([key[1], seqOf(value), Uint8Array.from(state)]);
      bytes += key[1].length + state.length + 16;
      if (bytes >= CHUNK_BYTES) {
        await this.append(owned, 'snap', encodeChunk(chunk));
        chunk = [];
        bytes = 0;
      }
    }
    if (chunk.length) await this.append(owned, 'snap', encodeChunk(chunk));
    await this.append(owned, 'end', EMPTY);
    // A later owner's writes journal after this mark (it acquires only once this lease has expired, a margin
    // after `holds` turns false), so what the purge removes was this owner's, and the chunks hold it.
    if (!owned.holds()) throw new Error(`${owned.subject}: no longer owned, not purged`);
    const purged = await this.jsm.streams.purge(this.options.stream, { filter: owned.subject, seq: mark });
    owned.messages -= purged.purged;
    this.stats.compactions++;
  }
}

function subjectPrefix(stream: string): string {
  return `actor-state.${stream.toLowerCase()}`;
}

function withSeq(seq: number, state: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(SEQ_BYTES + state.length);
  out.writeDoubleBE(seq, 0);
  out.set(state, SEQ_BYTES);
  return out;
}

function seqOf(stored: Buffer): number {
  return stored.readDoubleBE(0);
}
