import type { DeviceResult, ReadLogPeriod } from '@dcc/meter';
import { lazyCounter } from '@dcc/service-kit';
import { LRUCache } from 'lru-cache';

const lookups = lazyCounter('@dcc/smets1-adapter', 'dcc.smets1.hh_cache.lookups', {
  description: 'Half-hourly profile (4.8.1) cache lookups by result (hit, miss): the hit rate is hit / all',
});

/** The SRV whose answers are cached: 4.8.1 Read Profile Data (half-hourly import). */
export const CACHED_SRV = '4.8.1';

export interface HalfHourlyCacheOptions {
  /** How long a profile is served after the meter answered it. */
  ttlMs: number;
  /** Profiles held at most; beyond, the least recently used go. */
  maxEntries: number;
  clock?: () => number;
}

/**
 * Half-hourly profiles (4.8.1) this adapter read from SMETS1 meters, so a second User asking the same meter for
 * the same period is answered without waking the meter (a SMETS1 wake-up is slow and costs the DCO and S1
 * service provider a turn).
 *
 * Entitlement is not this cache's decision: access control decided it at request time (E4 from the inventory's
 * appointments, and data segregation, which narrows a log read's period to what the User may see) before the
 * request was stored for this adapter, so only authorised requests reach it. The key is the device and the
 * period as it reaches the meter (after that narrowing), so a User entitled to less asks a different key.
 *
 * Expiry: a profile is kept `ttlMs` after the meter answered it (LRU-bounded by `maxEntries`), only periods that
 * had ended when it was read are kept (a period still running would gain half hours), and any command that
 * changes the meter's state (e.g. a change of tenancy hiding earlier data) drops the meter's profiles.
 */
export class HalfHourlyCache {
  readonly stats = { hits: 0, misses: 0 };
  private readonly entries: LRUCache<string, DeviceResult>;
  /** The keys held per meter, so a meter's profiles are dropped without scanning the others. */
  private readonly byDevice = new Map<string, Set<string>>();
  private readonly clock: () => number;

  constructor(options: HalfHourlyCacheOptions) {
    this.clock = options.clock ?? Date.now;
    this.entries = new LRUCache({
      max: options.maxEntries,
      ttl: options.ttlMs,
      ttlAutopurge: false,
      perf: { now: this.clock },
      dispose: (_value, k) => this.unindex(k),
    });
  }

  /** A profile the meter gave (alerts stripped: they were the first asker's),
   * counting the hit or miss. */
  get(deviceId: string, period: ReadLogPeriod): DeviceResult | undefined {
    const found = this.entries.get(key(deviceId, period));
    if (found) this.stats.hits++;
    else this.stats.misses++;
    lookups.add(1, { result: found ? 'hit' : 'miss' });
    return found;
  }

  /** Keeps a meter's profile answer if its period had ended and the meter executed it. */
  put(deviceId: string, period: ReadLogPeriod, result: DeviceResult): void {
    if (result.outcome !== 'executed' || period.endMs > this.clock()) return;
    const k = key(deviceId, period);
    this.entries.set(k, { ...result, alerts: [], stateChanged: false });
    const held = this.byDevice.get(deviceId) ?? new Set<string>();
    held.add(k);
    this.byDevice.set(deviceId, held);
  }

  /** The meter's state changed: none of its profiles is served again. */
  forget(deviceId: string): void {
    for (const k of [...(this.byDevice.get(deviceId) ?? [])]) this.entries.delete(k);
    this.byDevice.delete(deviceId);
  }

  private unindex(k: string): void {
    const deviceId = k.slice(0, k.indexOf('|'));
    const held = this.byDevice.get(deviceId);
    held?.delete(k);
    if (held?.size === 0) this.byDevice.delete(deviceId);
  }

  get size(): number {
    return this.entries.size;
  }

  get hitRate(): number {
    const asked = this.stats.hits + this.stats.misses;
    return asked === 0 ? 0 : this.stats.hits / asked;
  }
}

const key = (deviceId: string, period: ReadLogPeriod) => `${deviceId}|${period.startMs}|${period.endMs}`;
