import { DirectKv, KvWriteRefused, type Requester } from '@dcc/bus';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';

/** The UTRN originator counter's step: its low 32 bits are zero (GBCS §14; docs/utrn.md). */
const BLOCK = 1n << 32n;
const BUCKET = 'PREPAYMENT_UTRN_COUNTERS';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Each supplier's next UTRN counter for each device, durable in a JetStream KV bucket (one key per supplier
 * and device, the last block number issued). A counter is taken by a compare-and-set write before the UTRN is
 * made, so two issuers racing, or a restart after a crash, can never hand out the same counter twice (a crash
 * after taking one only skips it, which the meter allows). Per device rather than per supplier because the
 * UTRN carries only 10 bits of the counter: the meter finds the next counter above its own high-water mark,
 * so a device's counters must advance in small steps.
 */
export class UtrnCounters {
  private constructor(private readonly kv: DirectKv) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<UtrnCounters> {
    const kv = await new Kvm(nc).create(BUCKET, { history: 1 });
    return new UtrnCounters(await DirectKv.of(requester, kv));
  }

  /** Takes the supplier's next counter for the device (low 32 bits zero). */
  async next(supplierId: string, deviceId: string): Promise<bigint> {
    const key = `${supplierId}.${deviceId}`;
    for (;;) {
      const entry = await this.kv.get(key);
      const last = entry && entry.operation === 'PUT' ? BigInt(decoder.decode(entry.value)) : 0n;
      const block = last + 1n;
      try {
        await this.kv.put(key, encoder.encode(String(block)), entry?.revision ?? 0);
        return block * BLOCK;
      } catch (error) {
        // Another issuer took this one first: read again and take the next.
        if (!(error instanceof KvWriteRefused) || !error.conflict) throw error;
      }
    }
  }
}
