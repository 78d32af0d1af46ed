import { DirectKv, jetStreamReplicas, KvWriteRefused, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { LRUCache } from 'lru-cache';
import {
  breachOf,
  MAX_WINDOW_SECONDS,
  type AnomalyDetector,
  type Breach,
  type Counted,
  type Threshold,
} from './anomaly-detector.js';

const BUCKET = 'ANOMALY_COUNTS';
/** Compare-and-set attempts on one count before the request is refused as UNAVAILABLE (resend it). */
const MAX_ATTEMPTS = 32; // each retry carries every change waiting for the key, so this bounds contention
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A sliding window as stored: [second, requests counted in it] for the seconds inside the window. */
type Seconds = [number, number][];

interface Known {
  seconds: Seconds;
  revision: number;
}

/** One request's change to a count, waiting for its key's next write. */
interface Change {
  threshold: Threshold;
  now: number;
  delta: 1 | -1;
  done(admitted: boolean): void;
  fail(error: unknown): void;
}

/**
 * The anomaly thresholds' counts shared by every access-control instance: one JetStream KV key per (User, SRV)
 * (`u.<user>.<srv>`) and per system-wide SRV (`s.<srv>`), holding the window's per-second counts, written with
 * compare-and-set on the key's revision. Every instance counts into the same window, so a threshold trips at
 * the same request whichever instance a User's client reaches, and counts survive an instance's restart. Cost:
 * one KV write per key per round trip, shared by the requests that arrived for that key while the previous write
 * was in flight (so a User's concurrent requests cost one write per batch, not one each), plus a read when
 * another instance wrote the key since this one last did. The thresholds themselves are the detector's (anomaly-detector.ts); the
 * bucket's TTL drops keys idle for the longest window.
 */
export class SharedAnomalyCounts {
  /** What this instance last read or wrote per key: the next write goes straight to compare-and-set. */
  private readonly known = new LRUCache<string, Known>({ max: 100_000 });
  /** Per key with a write in flight: the changes that go with its next write. */
  private readonly queues = new Map<string, Change[]>();

  private constructor(
    private readonly kv: DirectKv,
    private readonly detector: AnomalyDetector,
    private readonly onUndoFailure: (error: unknown) => void,
  ) {}

  static async open(
    nc: NatsConnection,
    requester: Requester,
    detector: AnomalyDetector,
    onUndoFailure: (error: unknown) => void,
  ): Promise<SharedAnomalyCounts> {
    const kv = await new Kvm(nc).create(BUCKET, {
      history: 1,
      ttl: MAX_WINDOW_SECONDS * 1000,
      replicas: jetStreamReplicas(),
    });
    return new SharedAnomalyCounts(await DirectKv.of(requester, kv), detector, onUndoFailure);
  }

  /** As AnomalyDetector.check, against the shared counts: counted, or the breach (nothing counted). */
  async check(userId: string, srv: string, nowMs: number): Promise<Counted | Breach> {
    const now = Math.floor(nowMs / 1000);
    const user = this.detector.thresholdFor(userId, srv);
    const system = this.detector.systemThresholdFor(srv);
    const userKey = `u.${userId}.${srv}`;
    const systemKey = `s.${srv}`;
    if (user && !(await this.change(userKey, user, now, +1))) return breachOf('user', srv, user);
    if (system && !(await this.change(systemKey, system, now, +1))) {
      if (user) await this.change(userKey, user, now, -1);
      return breachOf('system', srv, system);
    }
    return {
      undo: () => {
        const undone = [
          ...(user ? [this.change(userKey, user, now, -1)] : []),
          ...(system ? [this.change(systemKey, system, now, -1)] : []),
        ];
        Promise.all(undone).catch(this.onUndoFailure);
      },
    };
  }

  /**
   * Adds `delta` at second `now` to the key's window, unless adding one would take it over `threshold.limit`
   * (then resolves false, nothing counted). Changes to one key while a write of it is in flight wait and go
   * together in the next write (one compare-and-set for all of them, decided in arrival order), so concurrent
   * requests of one User do not race each other for the key.
   */
  private change(key: string, threshold: Threshold, now: number, delta: 1 | -1): Promise<boolean> {
    return new Promise<boolean>((done, fail) => {
      const item: Change = { threshold, now, delta, done, fail };
      const queue = this.queues.get(key);
      if (queue) {
        queue.push(item); // the running flush takes it with the next write
        return;
      }
      const fresh = [item];
      this.queues.set(key, fresh);
      void this.flush(key, fresh);
    });
  }

  private async flush(key: string, queue: Change[]): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        const admitted = await this.apply(key, batch);
        batch.forEach((change, i) => change.done(admitted[i]!));
      } catch (error) {
        for (const change of batch) change.fail(error);
      }
    }
    this.queues.delete(key);
  }

  /**
   * One compare-and-set for a batch of one key's changes: the take-backs, then each add in order while the count
   * stays within the limit. Retried from what is stored when another instance wrote the key meanwhile.
   */
  private async apply(key: string, batch: Change[]): Promise<boolean[]> {
    const { threshold } = batch[0]!; // one key, one threshold
    const now = Math.max(...batch.map((c) => c.now));
    let current = this.known.get(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      current ??= await this.read(key);
      let seconds = inWindow(current?.seconds ?? [], now, threshold.windowSeconds);
      for (const c of batch) if (c.delta < 0) seconds = add(seconds, c.now, -1);
      let count = seconds.reduce((n, [, c]) => n + c, 0);
      const admitted = batch.map((c) => {
        if (c.delta < 0) return true;
        if (count + 1 > threshold.limit) return false;
        count++;
        seconds = add(seconds, c.now, 1);
        return true;
      });
      if (!batch.some((c, i) => c.delta < 0 || admitted[i])) return admitted; // nothing to write
      try {
        const value = encoder.encode(JSON.stringify(seconds));
        const revision = current
          ? await this.kv.put(key, value, current.revision)
          : await this.kv.create(key, value);
        this.known.set(key, { seconds, revision });
        return admitted;
      } catch (error) {
        if (!(error instanceof KvWriteRefused && error.conflict)) throw error;
        this.known.delete(key);
        current = undefined; // another instance wrote it: count again from what is stored
      }
    }
    throw DccError.unavailable(`anomaly count ${key} contended: resend the request`);
  }

  private async read(key: string): Promise<Known | undefined> {
    const entry = await this.kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { seconds: JSON.parse(decoder.decode(entry.value)) as Seconds, revision: entry.revision };
  }
}

/** The seconds still inside the window ending at `now`. */
function inWindow(seconds: Seconds, now: number, windowSeconds: number): Seconds {
  return seconds.filter(([second]) => second > now - windowSeconds);
}

/**
 * `delta` added at second `now` (into the newest second when another instance's clock is ahead); -1 takes back
 * a request counted at `now`, or else the newest one (the window keeps its size either way).
 */
function add(seconds: Seconds, now: number, delta: 1 | -1): Seconds {
  const next = seconds.map(([s, c]): [number, number] => [s, c]);
  const last = next[next.length - 1];
  if (delta > 0) {
    if (last && last[0] >= now) last[1] += 1;
    else next.push([now, 1]);
    return next;
  }
  const at = next.find(([s]) => s === now) ?? last;
  if (at) at[1] -= 1;
  return next.filter(([, c]) => c > 0);
}
