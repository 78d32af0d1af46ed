import { DirectKv, jetStreamReplicas, Requester, type DirectKvEntry } from '@dcc/bus';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { fromKeyToken, keyToken } from './keys.js';
import { liveKeys } from './kv-live-keys.js';

const MINUTE_MS = 60_000;

export interface DueReminder {
  key: string;
  revision: number;
  partition: number;
  actorId: string;
  name: string;
  dueAt: number;
  data: Uint8Array;
}

/**
 * Durable reminders in a JetStream KV bucket (`actor_reminders`), bucketed by partition and due minute, so no
 * process holds a timer per reminder:
 *
 * - `r.<partition>.<dueMinute>.<actorId>.<name>` = 8-byte due time (ms, float64 BE) + payload;
 * - `x.<partition>.<actorId>.<name>` = the due minute of the actor's current reminder of that name (to move or
 *   cancel it);
 * - `c.<partition>` = the first minute not yet completely fired (the owner's scan cursor).
 *
 * The owner of a partition lists the keys of the minutes from its cursor to now on each tick (one key listing
 * with one filter per owned partition and minute), fires what is due, and deletes a reminder only after the
 * actor handled it: at-least-once, across restarts and hand-over.
 */
export class ReminderStore {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly bucket: string,
    readonly kv: KV,
    private readonly requester: Requester,
    /**
     * The reads of an actor's index key, which every first turn of an activation makes (its wake time is not
     * known yet): through a Requester, not the KV client's per-call request machinery (DirectKv).
     */
    private readonly direct: DirectKv,
  ) {}

  static async open(nc: NatsConnection, bucket = 'actor_reminders'): Promise<ReminderStore> {
    const kv = await new Kvm(nc).create(bucket, { history: 1, replicas: jetStreamReplicas() });
    const requester = new Requester(nc);
    return new ReminderStore(nc, bucket, kv, requester, await DirectKv.of(requester, kv));
  }

  /** Stops the store's own Requester; the bucket stays. */
  close(): void {
    this.requester.close();
  }

  static minuteOf(ms: number): number {
    return Math.floor(ms / MINUTE_MS);
  }

  /** Sets (or moves) reminder `name` of an actor. A due time in the past fires on the next scan. */
  async set(
    partition: number,
    actorId: string,
    name: string,
    dueAt: number,
    data?: Uint8Array,
  ): Promise<void> {
    const a = keyToken(actorId);
    const n = keyToken(name);
    const minute = Math.max(ReminderStore.minuteOf(dueAt), ReminderStore.minuteOf(Date.now()));
    const indexKey = `x.${partition}.${a}.${n}`;
    const previous = await this.direct.get(indexKey);
    const value = new Uint8Array(8 + (data?.length ?? 0));
    new DataView(value.buffer).setFloat64(0, dueAt);
    if (data) value.set(data, 8);
    await this.kv.put(`r.${partition}.${minute}.${a}.${n}`, value);
    if (previous?.operation === 'PUT') {
      const old = minuteIn(previous);
      if (old !== minute) await this.kv.delete(`r.${partition}.${old}.${a}.${n}`);
    }
    await this.kv.put(indexKey, String(minute));
  }

  async cancel(partition: number, actorId: string, name: string): Promise<void> {
    const a = keyToken(actorId);
    const n = keyToken(name);
    const indexKey = `x.${partition}.${a}.${n}`;
    const previous = await this.direct.get(indexKey);
    if (previous?.operation !== 'PUT') return;
    await this.kv.delete(`r.${partition}.${minuteIn(previous)}.${a}.${n}`);
    await this.kv.delete(indexKey, { previousSeq: previous.revision });
  }

  /** The persisted scan cursor of a partition (a minute), if any. */
  async cursor(partition: number): Promise<number | undefined> {
    const e = await this.kv.get(`c.${partition}`);
    return e?.operation === 'PUT' ? Number(e.string()) : undefined;
  }

  async setCursor(partition: number, minute: number): Promise<void> {
    await this.kv.put(`c.${partition}`, String(minute));
  }

  /** Reminders in the given partitions' minute ranges that are due at `now`. */
  async due(ranges: Map<number, [from: number, to: number]>, now: number): Promise<DueReminder[]> {
    const filters: string[] = [];
    for (const [p, [from, to]] of ranges) for (let m = from; m <= to; m++) filters.push(`r.${p}.${m}.>`);
    if (!filters.length) return [];
    // Batched direct gets, no consumer per scan (kv-live-keys.ts).
    const keys = await liveKeys(this.nc, this.kv, this.bucket, filters);
    const due: DueReminder[] = [];
    for (const key of keys) {
      const e = await this.kv.get(key);
      if (!e || e.operation !== 'PUT' || e.value.length < 8) continue;
      const dueAt = new DataView(e.value.buffer, e.value.byteOffset, 8).getFloat64(0);
      if (dueAt > now) continue;
      const [, p, , a, n] = key.split('.');
      due.push({
        key,
        revision: e.revision,
        partition: Number(p),
        actorId: fromKeyToken(a!),
        name: fromKeyToken(n!),
        dueAt,
        data: e.value.slice(8),
      });
    }
    return due;
  }

  /** Removes a fired reminder unless it was set again meanwhile. */
  async fired(r: DueReminder): Promise<void> {
    try {
      await this.kv.delete(r.key, { previousSeq: r.revision });
    } catch {
      return; // set again (same minute) since it fired: keep it and its index
    }
    const indexKey = `x.${r.partition}.${keyToken(r.actorId)}.${keyToken(r.name)}`;
    const index = await this.kv.get(indexKey);
    if (index?.operation === 'PUT' && Number(index.string()) === Number(r.key.split('.')[2]))
      await this.kv.delete(indexKey, { previousSeq: index.revision }).catch(() => undefined);
  }
}

const decoder = new TextDecoder();

/** The due minute an index entry holds (decimal text). */
function minuteIn(entry: DirectKvEntry): number {
  return Number(decoder.decode(entry.value));
}
