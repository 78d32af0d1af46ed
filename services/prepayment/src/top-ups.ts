import type { Requester } from '@dcc/bus';
import { buildUtrn, DccError, GrpcStatus, parseKaPublicKey, utrnAuthenticator } from '@dcc/domain';
import { TopUpStage, type TopUpRecord, type TopUpRequest } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { approve } from './approval.js';
import { parseCustomerId, type CustomerPoint } from './customer.js';
import type { Dispatcher } from './dispatch.js';
import { receivedRecord, type Ledger, type LedgerEntry } from './ledger.js';
import { resolveMeterPoint } from './meter-point.js';
import type { SupplierCredentials } from './supplier-credentials.js';
import type { UtrnCounters } from './utrn-counters.js';

export interface TopUpsDeps {
  ledger: Ledger;
  counters: UtrnCounters;
  dispatcher: Dispatcher;
  requester: Requester;
  suppliers: ReadonlyMap<string, SupplierCredentials>;
  maxPence: number;
  /** Test hook (0: off): wait this long between recording a UTRN as issued and dispatching it. */
  pauseAfterIssueMs: number;
  log: Logger;
}

const MAX_IDEMPOTENCY_KEY = 64;
// A UTRN carries up to 8191 pence, or up to 8191 whole pounds (docs/utrn.md).
const UTRN_MAX_VALUE = 8_191;

/**
 * A payment's way through the ledger: received → UTRN issued → dispatched (or refused before issue). Each step
 * reads the record, acts, and writes the next stage with a compare-and-set, so a retry, a concurrent call with
 * the same key, or a restart continues from the stage recorded and never issues or credits twice: the UTRN
 * recorded at ISSUED is the one dispatched, whoever dispatches it.
 */
export class TopUps {
  /**
   * The payments this process is moving along now, by ledger key: a retry of the channel or the sweep joins the
   * run in flight instead of dispatching the same 2.2 a second time.
   */
  private readonly inFlight = new Map<string, Promise<TopUpRecord>>();

  constructor(private readonly deps: TopUpsDeps) {}

  async topUp(channelId: string, request: TopUpRequest): Promise<TopUpRecord> {
    parseCustomerId(request.customerId);
    checkAmount(request.amountPence, this.deps.maxPence);
    const key = request.idempotencyKey;
    if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
      throw DccError.invalidArgument(`idempotency_key must be 1-${MAX_IDEMPOTENCY_KEY} characters`);
    }
    const { entry, created } = await this.deps.ledger.receive(channelId, receivedRecord(request));
    if (
      !created &&
      (entry.record.customerId !== request.customerId || entry.record.amountPence !== request.amountPence)
    ) {
      throw new DccError(GrpcStatus.ALREADY_EXISTS, `idempotency key "${key}" was used for another payment`);
    }
    return this.progress(entry);
  }

  async get(channelId: string, idempotencyKey: string): Promise<TopUpRecord> {
    const entry = await this.deps.ledger.read(channelId, idempotencyKey);
    if (!entry)
      throw new DccError(GrpcStatus.NOT_FOUND, `no top-up with idempotency key "${idempotencyKey}"`);
    return entry.record;
  }

  /** Moves every unfinished top-up on (at start, after a crash, and periodically while access control is away). */
  async resumeUnfinished(): Promise<number> {
    let moved = 0;
    for await (const entry of this.deps.ledger.unfinished()) {
      if (this.inFlight.has(flightKey(entry))) continue;
      try {
        await this.progress(entry);
        moved++;
      } catch (error) {
        this.deps.log.warn({ err: error, key: entry.record.idempotencyKey }, 'top-up not moved on yet');
      }
    }
    return moved;
  }

  private progress(start: LedgerEntry): Promise<TopUpRecord> {
    const id = flightKey(start);
    let run = this.inFlight.get(id);
    if (!run) {
      run = this.advance(start).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, run);
    }
    return run;
  }

  private async advance(start: LedgerEntry): Promise<TopUpRecord> {
    let entry = start;
    for (;;) {
      const { record } = entry;
      let next: TopUpRecord | undefined;
      if (record.stage === TopUpStage.TOP_UP_STAGE_RECEIVED) next = await this.issue(record);
      else if (record.stage === TopUpStage.TOP_UP_STAGE_ISSUED) next = await this.dispatch(record);
      // Finished, or access control unreachable: the UTRN stays issued (the channel has it), sent again later.
      if (!next) return record;
      entry =
        (await this.deps.ledger.advance(entry, next)) ??
        (await this.deps.ledger.read(entry.channelId, record.idempotencyKey))!;
    }
  }

  /** Sends the recorded UTRN with its recorded RequestID; undefined when access control could not be reached. */
  private async dispatch(record: TopUpRecord): Promise<TopUpRecord | undefined> {
    if (this.deps.pauseAfterIssueMs > 0) {
      this.deps.log.warn({ key: record.idempotencyKey }, 'test hook: pausing between issue and dispatch');
      await new Promise((resolve) => setTimeout(resolve, this.deps.pauseAfterIssueMs));
    }
    const outcome = await this.deps.dispatcher.send({
      requestId: record.requestId,
      supplierId: record.supplierId,
      electricity: parseCustomerId(record.customerId).fuel === 'electricity',
      utrn: record.utrn,
    });
    if (!outcome) return undefined;
    return {
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_DISPATCHED,
      outcomeCode: outcome.code,
      outcome: outcome.detail,
    };
  }

  /** Resolves the supplier now, applies its approval, takes its next counter and makes the UTRN. */
  private async issue(record: TopUpRecord): Promise<TopUpRecord> {
    const point: CustomerPoint = parseCustomerId(record.customerId);
    const refused = (reason: string): TopUpRecord => ({
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_REFUSED,
      outcome: reason,
    });
    let facts;
    try {
      facts = await resolveMeterPoint(this.deps.requester, point);
    } catch (error) {
      const e = DccError.from(error);
      if (e.status === GrpcStatus.UNAVAILABLE) throw e;
      return refused(`registration: ${e.message}`);
    }
    const approval = approve(facts, new Set(this.deps.suppliers.keys()));
    if (!approval.approved) return refused(approval.reason);
    const { supplierId, deviceId } = approval;
    const devicePublicKey = parseKaPublicKey(Buffer.from(approval.kaPublicKey).toString('base64'));
    const counter = await this.deps.counters.next(supplierId, deviceId);
    const pounds = record.amountPence > UTRN_MAX_VALUE;
    const utrn = buildUtrn(
      utrnAuthenticator(this.deps.suppliers.get(supplierId)!.topUpKey, devicePublicKey),
      {
        originator: supplierId,
        target: deviceId,
        counter,
        valueClass: pounds ? 'pounds' : 'pennies',
        value: pounds ? record.amountPence / 100 : record.amountPence,
      },
    );
    return {
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_ISSUED,
      utrn,
      supplierId,
      deviceId,
      requestId: `${supplierId}:${deviceId}:${requestCounter(counter)}`,
    };
  }
}

/** 1p..£8191: pence up to 8191, whole pounds above (what a UTRN can carry), within the configured maximum. */
function checkAmount(pence: number, maxPence: number): void {
  if (!Number.isInteger(pence) || pence < 1 || pence > maxPence) {
    throw DccError.invalidArgument(`amount_pence must be 1-${maxPence}, not ${pence}`);
  }
  if (pence > UTRN_MAX_VALUE && pence % 100 !== 0) {
    throw DccError.invalidArgument(`amount_pence above ${UTRN_MAX_VALUE} must be whole pounds, not ${pence}`);
  }
}

/**
 * The 2.2's RequestID counter: the time it was issued in microseconds-like units (milliseconds × 10^6) plus
 * the UTRN block, so it is above the supplier's earlier requests to the device (access control and the meter
 * require increasing counters) and unique per UTRN.
 */
function requestCounter(utrnCounter: bigint): bigint {
  return BigInt(Date.now()) * 1_000_000n + ((utrnCounter >> 32n) % 1_000_000n);
}

const flightKey = (entry: LedgerEntry): string => `${entry.channelId}\u0000${entry.record.idempotencyKey}`;
