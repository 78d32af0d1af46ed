import { DirectKv, type Requester } from '@dcc/bus';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

const BUCKET = 'PREPAYMENT_PENDING';
/**
 * How long a removed marker's purge tombstone stays: the server then drops it (per-message TTL), so the bucket
 * holds the payments in flight and the last minute's removals, not one tombstone per payment ever taken.
 */
const TOMBSTONE_TTL_MS = 60_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The ledger keys of the top-ups the retry sweep still has work for (received, issued, or dispatched and
 * waiting for the meter), one KV key each whose value is when it was marked: the sweep lists this bucket, not
 * the whole ledger, so its cost follows the payments in flight rather than every payment ever taken. A marker
 * is written before its record and removed after the record reached a stage the sweep has nothing to do for,
 * so a crash in between leaves a marker too many (the sweep reads the record and removes it), never one too few.
 */
export class PendingIndex {
  private constructor(
    private readonly kv: KV,
    private readonly direct: DirectKv,
  ) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<PendingIndex> {
    const kv = await new Kvm(nc).create(BUCKET, { history: 1, markerTTL: TOMBSTONE_TTL_MS });
    return new PendingIndex(kv, await DirectKv.of(requester, kv));
  }

  async mark(ledgerKey: string): Promise<void> {
    await this.direct.put(ledgerKey, encoder.encode(String(Date.now())));
  }

  /** Removes the marker (purged, its tombstone expiring, so the bucket holds only what is pending). */
  async clear(ledgerKey: string): Promise<void> {
    await this.kv.purge(ledgerKey, { ttl: `${TOMBSTONE_TTL_MS / 1000}s` });
  }

  /** Every marked ledger key with when it was marked (UTC milliseconds). */
  async *marked(): AsyncGenerator<{ ledgerKey: string; markedAtMs: number }> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    for (const ledgerKey of keys) {
      const entry = await this.direct.get(ledgerKey);
      if (entry?.operation === 'PUT') yield { ledgerKey, markedAtMs: Number(decoder.decode(entry.value)) };
    }
  }
}
