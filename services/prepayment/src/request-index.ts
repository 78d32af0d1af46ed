import { DirectKv, type Requester } from '@dcc/bus';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';

const BUCKET = 'PREPAYMENT_REQUESTS';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Which ledger entry a 2.2 RequestID belongs to, so the meter's answer on the supplier's responses finds its
 * payment. Written before the top-up is recorded as issued (so every 2.2 ever sent has it); the supplier's own
 * requests have none and are passed over. One key per UTRN: kept as long as the ledger (a late answer, days
 * after the WAN came back, still finds its payment).
 */
export class RequestIndex {
  private constructor(private readonly kv: DirectKv) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<RequestIndex> {
    const kv = await new Kvm(nc).create(BUCKET, { history: 1 });
    return new RequestIndex(await DirectKv.of(requester, kv));
  }

  async put(requestId: string, ledgerKey: string): Promise<void> {
    await this.kv.put(indexKey(requestId), encoder.encode(ledgerKey));
  }

  async ledgerKeyOf(requestId: string): Promise<string | undefined> {
    const entry = await this.kv.get(indexKey(requestId));
    return entry?.operation === 'PUT' ? decoder.decode(entry.value) : undefined;
  }
}

const indexKey = (requestId: string): string => createHash('sha256').update(requestId).digest('hex');
