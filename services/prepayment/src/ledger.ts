import { decode, DirectKv, encode, KvWriteRefused, type Requester } from '@dcc/bus';
import { TopUpRecord, TopUpStage, type TopUpRequest } from '@dcc/proto';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createHash } from 'node:crypto';
import { PendingIndex } from './pending-index.js';

/** A top-up as the ledger holds it, and the KV revision it was read or written at (for compare-and-set). */
export interface LedgerEntry {
  channelId: string;
  record: TopUpRecord;
  revision: number;
}

const BUCKET = 'PREPAYMENT_LEDGER';
// Every stage a top-up went through stays readable (received, issued, dispatched, the meter's outcome).
const HISTORY = 5;
/** A marker without its record younger than this may be a payment being recorded right now: left alone. */
const ORPHAN_MARKER_MS = 60_000;

/** Stages the retry sweep has work for: issue, dispatch, or notice that the meter has not answered in time. */
export function needsSweep(stage: TopUpStage): boolean {
  return (
    stage === TopUpStage.TOP_UP_STAGE_RECEIVED ||
    stage === TopUpStage.TOP_UP_STAGE_ISSUED ||
    stage === TopUpStage.TOP_UP_STAGE_DISPATCHED
  );
}

/**
 * The prepayment ledger: one JetStream KV key per (payment channel, idempotency key), its value the top-up
 * record (TopUpRecord) at the stage it has reached: RECEIVED → ISSUED (the UTRN, its counter already taken) →
 * DISPATCHED (the hub accepted the 2.2) → CREDITED or REJECTED (the meter's outcome), PENDING_MANUAL_ENTRY on
 * the way when the meter is slow to answer; or REFUSED before issue. Every write is a compare-and-set on the
 * revision read, so two calls with the same key (a channel's retry racing the first) never both issue, and the
 * meter's outcome and the dispatcher's acknowledgement cannot overwrite each other; a record is written before
 * the next step acts on it, so a restart finds each payment where it stopped. The pending index (its own
 * bucket) names the records the retry sweep has work for.
 */
export class Ledger {
  private constructor(
    private readonly direct: DirectKv,
    private readonly pending: PendingIndex,
  ) {}

  static async open(nc: NatsConnection, requester: Requester): Promise<Ledger> {
    const kv = await new Kvm(nc).create(BUCKET, { history: HISTORY });
    return new Ledger(await DirectKv.of(requester, kv), await PendingIndex.open(nc, requester));
  }

  async read(channelId: string, idempotencyKey: string): Promise<LedgerEntry | undefined> {
    return this.readKey(ledgerKey(channelId, idempotencyKey));
  }

  /** Records a new payment; resolves with what is stored, which is an earlier record when the key is taken. */
  async receive(channelId: string, record: TopUpRecord): Promise<{ entry: LedgerEntry; created: boolean }> {
    const key = ledgerKey(channelId, record.idempotencyKey);
    await this.pending.mark(key);
    try {
      const revision = await this.direct.put(key, encode(TopUpRecord, record), 0);
      return { entry: { channelId, record, revision }, created: true };
    } catch (error) {
      if (!(error instanceof KvWriteRefused && error.conflict)) throw error;
      const entry = await this.readKey(key);
      if (!entry) throw error;
      if (!needsSweep(entry.record.stage)) await this.pending.clear(key);
      return { entry, created: false };
    }
  }

  /**
   * Moves a record to its next stage if nobody moved it since `entry` was read; resolves with the stored entry,
   * or undefined when another writer got there first (the caller reads again).
   */
  async advance(entry: LedgerEntry, record: TopUpRecord): Promise<LedgerEntry | undefined> {
    const key = ledgerKey(entry.channelId, record.idempotencyKey);
    let revision: number;
    try {
      revision = await this.direct.put(key, encode(TopUpRecord, record), entry.revision);
    } catch (error) {
      if (error instanceof KvWriteRefused && error.conflict) return undefined;
      throw error;
    }
    if (!needsSweep(record.stage)) await this.pending.clear(key);
    return { channelId: entry.channelId, record, revision };
  }

  /**
   * Every top-up the sweep has work for (what a restart or a retry picks up), from the pending index: markers
   * whose record has moved past them, or that never got their record, are removed on the way.
   */
  async *unfinished(): AsyncGenerator<LedgerEntry> {
    for await (const { ledgerKey: key, markedAtMs } of this.pending.marked()) {
      const entry = await this.readKey(key);
      if (entry && needsSweep(entry.record.stage)) yield entry;
      else if (entry || Date.now() - markedAtMs > ORPHAN_MARKER_MS) await this.pending.clear(key);
    }
  }

  /** The entry stored under a ledger key (as the request index names it). */
  async readKey(key: string): Promise<LedgerEntry | undefined> {
    const entry = await this.direct.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    return {
      channelId: key.slice(0, key.indexOf('.')),
      record: decode(TopUpRecord, entry.value, 'ledger record'),
      revision: entry.revision,
    };
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
    receivedAtMs: Date.now(),
    issuedAtMs: 0,
    dispatchedAtMs: 0,
    alertCode: '',
    creditedPence: '',
    meterBalancePence: '',
    settledAtMs: 0,
  };
}

/** `<channel>.<SHA-256 of the idempotency key>`: any key the channel chooses becomes a valid KV key. */
export function ledgerKey(channelId: string, idempotencyKey: string): string {
  return `${channelId}.${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}
