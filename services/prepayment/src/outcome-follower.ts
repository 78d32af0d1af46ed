import { consumers, DurableConsumer, streams, subjects } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import { ServiceResponse } from '@dcc/proto';
import type { Logger } from '@dcc/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { keypadCreditSince } from './keypad-credits.js';
import type { Ledger } from './ledger.js';
import { awaitsMeter, meterOutcome, settle, UTRN_DUPLICATE_ALERT } from './meter-outcome.js';
import type { RequestIndex } from './request-index.js';

export interface OutcomeFollowerOptions {
  nc: NatsConnection;
  ledger: Ledger;
  requests: RequestIndex;
  supplierIds: Iterable<string>;
  log: Logger;
}

/**
 * Follows the meter's answers to the 2.2s the service sent: one durable consumer per served supplier on that
 * supplier's responses (`dcc.resp.<supplier>` on RESPONSES, limits retention, so the supplier's own Responses
 * call still gets every one of them). A 2.2 answer whose RequestID the request index knows is settled in the
 * ledger (CREDITED, REJECTED with the meter's alert, or PENDING_MANUAL_ENTRY when it never reached the meter)
 * with a compare-and-set, and only then acknowledged: a crash in between redelivers it, and settling an
 * already-settled record changes nothing. Everything else on the stream (the supplier's own requests, alert
 * notices) is acknowledged untouched.
 */
export class OutcomeFollower {
  private readonly running: DurableConsumer<ServiceResponse>[] = [];

  private constructor(private readonly options: OutcomeFollowerOptions) {}

  static async start(options: OutcomeFollowerOptions): Promise<OutcomeFollower> {
    const follower = new OutcomeFollower(options);
    for (const supplierId of options.supplierIds) {
      const id = parseEui64(supplierId);
      follower.running.push(
        await DurableConsumer.start(options.nc, {
          stream: streams.responses.name,
          durable: consumers.prepaymentOutcomes(id),
          filterSubject: subjects.userResponses(id),
          codec: ServiceResponse,
          what: 'top-up outcome',
          handle: (response) => follower.handle(response),
          onRejected: (error, msg) =>
            options.log.warn({ err: error, subject: msg.subject }, 'undecodable response passed over'),
        }),
      );
    }
    return follower;
  }

  async drain(): Promise<void> {
    await Promise.all(this.running.map((c) => c.drain()));
  }

  private async handle(response: ServiceResponse): Promise<void> {
    if (response.serviceReferenceVariant !== '2.2' || response.requestId === '') return;
    const key = await this.options.requests.ledgerKeyOf(response.requestId);
    if (key === undefined) return; // the supplier's own 2.2, not one of this service's
    const outcome = meterOutcome(response);
    for (;;) {
      const entry = await this.options.ledger.readKey(key);
      if (!entry || !awaitsMeter(entry.record.stage) || entry.record.requestId !== response.requestId) return;
      const keyedIn =
        outcome.kind === 'duplicate' &&
        (await keypadCreditSince(
          this.options.nc,
          parseEui64(entry.record.deviceId),
          entry.record.issuedAtMs,
        ));
      const next = settle(entry.record, outcome, keyedIn);
      if (await this.options.ledger.advance(entry, next)) {
        this.options.log.debug(
          { key: entry.record.idempotencyKey, stage: next.stage, alert: next.alertCode || undefined },
          outcome.kind === 'duplicate' ? `top-up settled after ${UTRN_DUPLICATE_ALERT}` : 'top-up settled',
        );
        return;
      }
      // The dispatcher wrote DISPATCHED meanwhile: read again and settle over it.
    }
  }
}
