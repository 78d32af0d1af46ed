import type { Requester } from '@dcc/bus';
import { buildUtrn, DccError, GrpcStatus, parseKaPublicKey, utrnAuthenticator } from '@dcc/domain';
import { TopUpStage, type TopUpRecord, type TopUpRequest } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import { approve } from './approval.js';
import { parseCustomerId, type CustomerPoint } from './customer.js';
import type { Dispatcher } from './dispatch.js';
import { ledgerKey, receivedRecord, type Ledger, type LedgerEntry } from './ledger.js';
import { resolveMeterPoint } from './meter-point.js';
import type { RequestIndex } from './request-index.js';
import { askSupplier } from './supplier-approval.js';
import type { SupplierCredentials } from './supplier-credentials.js';
import type { UtrnCounters } from './utrn-counters.js';

export interface TopUpsDeps {
  ledger: Ledger;
  counters: UtrnCounters;
  dispatcher: Dispatcher;
  requests: RequestIndex;
  requester: Requester;
  suppliers: ReadonlyMap<string, SupplierCredentials>;
  maxPence: number;
  /** How long one approval request waits for the supplier's answer. */
  approvalTimeoutMs: number;
  /** How long after receipt a payment whose supplier never answered is refused (until then it is asked again). */
  approvalGiveUpMs: number;
  /** How long after the hub accepted the 2.2 without the meter answering the payment is PENDING_MANUAL_ENTRY. */
  manualEntryAfterMs: number;
  /** Test hook (0: off): wait this long between recording a UTRN as issued and dispatching it. */
  pauseAfterIssueMs: number;
  log: Logger;
}

const MAX_IDEMPOTENCY_KEY = 64;
// A UTRN carries up to 8191 pence, or up to 8191 whole pounds (docs/utrn.md).
const UTRN_MAX_VALUE = 8_191;

/**
 * A payment's way through the ledger: received → (the supplier approves) UTRN issued → dispatched (or refused
 * before issue); the meter's outcome is settled by the OutcomeFollower, and a dispatched top-up the meter has
 * not answered in time becomes PENDING_MANUAL_ENTRY here. Each step reads the record, acts, and writes the next
 * stage with a compare-and-set, so a retry, a concurrent call with the same key, or a restart continues from
 * the stage recorded and never issues or credits twice: the UTRN recorded at ISSUED is the one dispatched,
 * whoever dispatches it.
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
        if ((await this.progress(entry)).stage !== entry.record.stage) moved++;
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
      if (record.stage === TopUpStage.TOP_UP_STAGE_RECEIVED) next = await this.issue(entry.channelId, record);
      else if (record.stage === TopUpStage.TOP_UP_STAGE_ISSUED) next = await this.dispatch(record);
      else if (record.stage === TopUpStage.TOP_UP_STAGE_DISPATCHED) next = this.overdue(record);
      // Finished, waiting for the meter, or access control unreachable: the UTRN stays issued (the channel has
      // it), sent again later.
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
    // ALREADY_EXISTS: the RequestID counter is not above the last accepted, which is what this very 2.2 meets
    // when sent again after a crash between its acceptance and DISPATCHED being written; its answer is then on
    // its way, and if it was in fact overtaken by a later request of the supplier's, no answer comes and the
    // wait below makes it PENDING_MANUAL_ENTRY. Either way it is followed, never reported as refused.
    if (outcome.status === GrpcStatus.OK || outcome.status === GrpcStatus.ALREADY_EXISTS) {
      return {
        ...record,
        stage: TopUpStage.TOP_UP_STAGE_DISPATCHED,
        dispatchedAtMs: Date.now(),
        outcomeCode: outcome.code,
        outcome: outcome.detail,
      };
    }
    // The hub refused the 2.2 (e.g. E4: the supplier is no longer registered for the meter): it never reaches
    // the meter, and the channel learns it now.
    return {
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_REJECTED,
      outcomeCode: outcome.code,
      outcome: `the hub refused the 2.2: ${outcome.detail}`,
      settledAtMs: Date.now(),
    };
  }

  /** A dispatched top-up the meter has not answered within the wait: the customer should key the UTRN in. */
  private overdue(record: TopUpRecord): TopUpRecord | undefined {
    if (Date.now() - record.dispatchedAtMs < this.deps.manualEntryAfterMs) return undefined;
    return {
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_PENDING_MANUAL_ENTRY,
      outcome: `the meter has not answered the 2.2 within ${this.deps.manualEntryAfterMs} ms: key the UTRN in at the premises`,
    };
  }

  /**
   * The supplier's answer; silence within the timeout leaves the payment RECEIVED (UNAVAILABLE to the channel,
   * asked again by the sweep) until `approvalGiveUpMs` after receipt, when it is refused.
   */
  private async supplierVerdict(
    channelId: string,
    record: TopUpRecord,
    point: CustomerPoint,
    supplierId: string,
    deviceId: string,
  ): Promise<{ approved: boolean; reason: string }> {
    try {
      return await askSupplier(
        this.deps.requester,
        supplierId,
        {
          customerId: record.customerId,
          mpxn: point.mpxn,
          deviceId,
          amountPence: record.amountPence,
          channelId,
          idempotencyKey: record.idempotencyKey,
        },
        this.deps.approvalTimeoutMs,
      );
    } catch (error) {
      if (Date.now() - record.receivedAtMs < this.deps.approvalGiveUpMs) throw error;
      return { approved: false, reason: `${(error as Error).message}; gave up asking` };
    }
  }

  /** Resolves the supplier now, asks its approval, takes its next counter and makes the UTRN. */
  private async issue(channelId: string, record: TopUpRecord): Promise<TopUpRecord> {
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
    const verdict = await this.supplierVerdict(channelId, record, point, supplierId, deviceId);
    if (!verdict.approved) return refused(verdict.reason);
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
    const requestId = `${supplierId}:${deviceId}:${requestCounter(counter)}`;
    // Before ISSUED is written, so the meter's answer to any 2.2 ever sent finds its payment.
    await this.deps.requests.put(requestId, ledgerKey(channelId, record.idempotencyKey));
    return {
      ...record,
      stage: TopUpStage.TOP_UP_STAGE_ISSUED,
      issuedAtMs: Date.now(),
      utrn,
      supplierId,
      deviceId,
      requestId,
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
