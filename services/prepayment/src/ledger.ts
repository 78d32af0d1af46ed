import { decode, DirectKv, encode, KvWriteRefused, type Requester } from '@dcc/bus';
import { TopUpRecord, TopUpStage, type TopUpRequest } from '@dcc/proto';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';

/** A top-up as the ledger holds it, and the KV revision it was read or written at (for compare-and-set). */
export interface LedgerEntry {
  channelId: string;
  record: TopUpRecord;
  revision: number;
}

const BUCKET = 'PREPAYMENT_LEDGER';
// Every stage a top-up went through stays readable (received, issued, dispatched).
const HISTORY = 4;

/**
 * The prepayment ledger: one JetStream KV key per (payment channel, idempotency key), its value the top-up
 * record (TopUpRecord) at the stage it has reached: RECEIVED → ISSUED (the UTRN, its counter already taken) →
 * DISPATCHED (access control's answer), or REFUSED. Every write is a compare-and-set on the revision read, so
 * two calls with the same key (a channel's retry racing the first) never both issue; a record is written
 * before the next step acts on it, so a restart finds each payment where it stopped.
 */
export class Ledger {
  private constructor(
    private readonly kv: KV,
    private readonly direct: DirectKv,
  ) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<Ledger> {
    const kv = await new Kvm(nc).create(BUCKET, { history: HISTORY });
    return new Ledger(kv, await DirectKv.of(requester, kv));
  }

  async read(channelId: string, idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return this.readKey(ledgerKey(channelId, idempotencyKey), channelId);
  }

  /** Records a new payment; resolves with what is stored, which is an earlier record when the key is taken. */
  async receive(channelId: string, record: TopUpRecord): Promise<{ entry: LedgerEntry; created: boolean }> {
    const key = ledgerKey(channelId, record.idempotencyKey);
    try {
      const revision = await this.direct.put(key, encode(TopUpRecord, record), 0);
      return { entry: { channelId, record, revision }, created: true };
    } catch (error) {
      if (!(error instanceof KvWriteRefused && error.conflict)) throw error;
      const entry = await this.readKey(key, channelId);
      if (!entry) throw error;
      return { entry, created: false };
    }
  }

  /**
   * Moves a record to its next stage if nobody moved it since `entry` was read; resolves with the stored entry,
   * or undefined when another writer got there first (the caller reads again).
   */
  async advance(entry: LedgerEntry, record: TopUpRecord): Promise<LedgerEntry | undefined> {
    const key = ledgerKey(entry.channelId, record.idempotencyKey);
    try {
      const revision = await this.direct.put(key, encode(TopUpRecord, record), entry.revision);
      return { channelId: entry.channelId, record, revision };
    } catch (error) {
      if (error instanceof KvWriteRefused && error.conflict) return undefined;
      throw error;
    }
  }

  /** Every top-up still between receipt and dispatch (what a restart or a retry picks up). */
  async *unfinished(): AsyncGenerator<LedgerEntry> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    for (const key of keys) {
      const entry = await this.readKey(key, key.slice(0, key.indexOf('.')));
      const stage = entry?.record.stage;
      if (stage === TopUpStage.TOP_UP_STAGE_RECEIVED || stage === TopUpStage.TOP_UP_STAGE_ISSUED)
        yield entry!;
    }
  }

  private async readKey(key: string, channelId: string): Promise<LedgerEntry | undefined> {
    const entry = await this.direct.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return { channelId, record: decode(TopUpRecord, entry.value, 'ledger record'), revision: entry.revision };
  }
}

/** A payment as first recorded: what the channel asked for, nothing issued yet. */
export function receivedRecord(request: TopUpRequest): TopUpRecord {
  return {
    idempotencyKey: request.idempotencyKey,
    customerId: request.customerId,
    amountPence: request.amountPence,
    stage: TopUpStage.TOP_UP_STAGE_RECEIVED,
    utrn: '',
    supplierId: '',
    deviceId: '',
    requestId: '',
    outcomeCode: '',
    outcome: '',
  };
}

/** `<channel>.<SHA-256 of the idempotency key>`: any key the channel chooses becomes a valid KV key. */
function ledgerKey(channelId: string, idempotencyKey: string): string {
  return `${channelId}.${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}
