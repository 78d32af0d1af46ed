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
const MAX_ATTEMPTS = 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A sliding window as stored: [second, requests counted in it] for the seconds inside the window. */
type Seconds = [number, number][];

interface Known {
  seconds: Seconds;
  revision: number;
}

/**
 * The anomaly thresholds' counts shared by every access-control instance: one JetStream KV key per (User, SRV)
 * (`u.<user>.<srv>`) and per system-wide SRV (`s.<srv>`), holding the window's per-second counts, written with
 * compare-and-set on the key's revision. Every instance counts into the same window, so a threshold trips at
 * the same request whichever instance a User's client reaches, and counts survive an instance's restart. Cost:
 * one KV write per threshold that applies (per request, at most two), plus a read when another instance wrote
 * the key since this one last did. The thresholds themselves are the detector's (anomaly-detector.ts); the
 * bucket's TTL drops keys idle for the longest window.
 */
export class SharedAnomalyCounts {
  /** What this instance last read or wrote per key: the next write goes straight to compare-and-set. */
  private readonly known = new LRUCache<string, Known>({ max: 100_000 });

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
   * (then resolves false, nothing written). Retries on a lost compare-and-set with what is stored now.
   */
  private async change(key: string, threshold: Threshold, now: number, delta: 1 | -1): Promise<boolean> {
    let current = this.known.get(key);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      current ??= await this.read(key);
      const seconds = inWindow(current?.seconds ?? [], now, threshold.windowSeconds);
      const count = seconds.reduce((n, [, c]) => n + c, 0);
      if (delta > 0 && count + 1 > threshold.limit) return false;
      const next = add(seconds, now, delta);
      try {
        const value = encoder.encode(JSON.stringify(next));
        const revision = current
          ? await this.kv.put(key, value, current.revision)
          : await this.kv.create(key, value);
        this.known.set(key, { seconds: next, revision });
        return true;
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
