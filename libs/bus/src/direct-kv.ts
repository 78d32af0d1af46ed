import { DccError } from '@dcc/domain';
import { headers as createHeaders, type Msg } from '@nats-io/transport-node';
import type { Requester } from './requester.js';

/** One stored KV entry: its value, the revision (stream sequence) it is at, and whether it is a delete marker. */
export interface DirectKvEntry {
  value: Uint8Array;
  revision: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
}

/** A write the bucket refused: a compare-and-set that lost ("wrong last sequence"), or any other stream error. */
export class KvWriteRefused extends Error {
  constructor(
    readonly key: string,
    /** JetStream's err_code (10071: wrong last sequence). */
    readonly errCode: number,
    description: string,
  ) {
    super(`KV write of ${key} refused: ${description}`);
    this.name = 'KvWriteRefused';
  }

  get conflict(): boolean {
    return this.errCode === WRONG_LAST_SEQUENCE;
  }
}

/** What DirectKv needs of a bucket opened through the KV client (@nats-io/kv's KV). */
export interface KvBucketStatus {
  status(): Promise<{ bucket: string; streamInfo: { config: { allow_direct?: boolean } } }>;
}

const WRONG_LAST_SEQUENCE = 10071;
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Keys per batched read: nats-server answers a `multi_last` of at most 1,024 subjects. */
export const MAX_KEYS_PER_BATCH = 1_024;

/**
 * The per-command reads and writes of a JetStream KV bucket, over the shared Requester instead of the KV client.
 *
 * The client's `get` and `put` go through `nc.request()`, which builds an Error with a stack, a timer and a
 * Promise race per call. These are the same JetStream operations on the same subjects: a read is a direct get of
 * the key's last message (`$JS.API.DIRECT.GET.<stream>.$KV.<bucket>.<key>`), a write publishes to the key's
 * subject (`$KV.<bucket>.<key>`) and resolves with the PubAck, so a write is stored when it resolves; a
 * compare-and-set write carries `Nats-Expected-Last-Subject-Sequence`. The bucket itself is created, configured
 * and administered through the KV client as before.
 */
export class DirectKv {
  private readonly getPrefix: string;
  private readonly putPrefix: string;
  private readonly batchGetSubject: string;

  private constructor(
    private readonly requester: Requester,
    readonly bucket: string,
  ) {
    this.getPrefix = `$JS.API.DIRECT.GET.KV_${bucket}.$KV.${bucket}.`;
    this.putPrefix = `$KV.${bucket}.`;
    this.batchGetSubject = `$JS.API.DIRECT.GET.KV_${bucket}`;
  }

  /** For a bucket opened through the KV client; it must allow direct gets (buckets created by nats.js do). */
  static async of(requester: Requester, kv: KvBucketStatus): Promise<DirectKv> {
    const status = await kv.status();
    if (!status.streamInfo.config.allow_direct) {
      throw new Error(`KV bucket ${status.bucket} does not allow direct gets`);
    }
    return new DirectKv(requester, status.bucket);
  }

  /** The key's last entry (a delete marker included), or undefined when the bucket holds none. */
  async get(key: string): Promise<DirectKvEntry | undefined> {
    const reply = await this.requester.request(this.getPrefix + key, EMPTY);
    const h = reply.headers;
    if (h?.hasError) {
      if (h.code === 404) return undefined;
      throw DccError.unavailable(`KV read of ${key} failed: ${h.code} ${h.description}`);
    }
    return entryOf(key, reply);
  }

  /**
   * The last entries of several keys in one request (a batched direct get, `multi_last`): each key the bucket
   * holds an entry for is in the map, as `get` would return it. The server answers as of one stream sequence,
   * with one message per key found and an end-of-batch message, so the request publish, its parsing and its
   * correlation are shared. At most MAX_KEYS_PER_BATCH keys.
   */
  async getMany(keys: readonly string[]): Promise<Map<string, DirectKvEntry>> {
    if (keys.length > MAX_KEYS_PER_BATCH) {
      throw new RangeError(`${keys.length} keys in one batched read (at most ${MAX_KEYS_PER_BATCH})`);
    }
    const found = new Map<string, DirectKvEntry>();
    const request = encoder.encode(JSON.stringify({ multi_last: keys.map((k) => this.putPrefix + k) }));
    await this.requester.requestMany(this.batchGetSubject, request, (reply) => {
      const h = reply.headers;
      if (h?.code === 204) return true; // end of the batch (a status, not an error)
      if (h?.hasError) {
        if (h.code === 404) return true; // none of the keys is held
        throw DccError.unavailable(`KV read of ${keys.length} keys failed: ${h.code} ${h.description}`);
      }
      const key = (h?.get('Nats-Subject') ?? '').slice(this.putPrefix.length);
      found.set(key, entryOf(key, reply));
      return false;
    });
    return found;
  }

  /**
   * Stores `value` and resolves with its revision once the stream stored it. With `previousRevision` (0: the
   * key must have no entry) the write happens only if the key's last revision is that one, else it rejects with
   * a conflicting KvWriteRefused.
   */
  async put(key: string, value: Uint8Array, previousRevision?: number): Promise<number> {
    let h;
    if (previousRevision !== undefined) {
      h = createHeaders();
      h.set('Nats-Expected-Last-Subject-Sequence', String(previousRevision));
    }
    return pubAckSeq(key, await this.requester.request(this.putPrefix + key, value, h));
  }

  /** Stores `value` only if the key has no entry, or only a delete marker (as the KV client's `create`). */
  async create(key: string, value: Uint8Array): Promise<number> {
    try {
      return await this.put(key, value, 0);
    } catch (error) {
      if (!(error instanceof KvWriteRefused) || !error.conflict) throw error;
      const current = await this.get(key);
      if (!current || current.operation === 'PUT') throw error;
      return await this.put(key, value, current.revision);
    }
  }
}

function entryOf(key: string, reply: Msg): DirectKvEntry {
  const h = reply.headers;
  const revision = Number(h?.get('Nats-Sequence'));
  if (!(revision > 0)) throw DccError.unavailable(`KV read of ${key}: no sequence in the reply`);
  const operation = h?.get('KV-Operation');
  return {
    value: reply.data,
    revision,
    operation: operation === 'DEL' || operation === 'PURGE' ? operation : 'PUT',
  };
}

function pubAckSeq(key: string, reply: Msg): number {
  const ack = JSON.parse(decoder.decode(reply.data)) as {
    seq?: number;
    error?: { err_code?: number; description?: string };
  };
  if (ack.error) throw new KvWriteRefused(key, ack.error.err_code ?? 0, ack.error.description ?? 'refused');
  if (typeof ack.seq !== 'number') throw DccError.unavailable(`KV write of ${key}: no acknowledgement`);
  return ack.seq;
}
