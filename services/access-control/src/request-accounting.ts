import { subjects, type DurablePublisher } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { RequestAccounted } from '@dcc/proto';
import { lazyCounter, type Logger } from '@dcc/service-kit';
import type { Context } from '@opentelemetry/api';

const unrecorded = lazyCounter('@dcc/access-control', 'dcc.accounting.unrecorded', {
  description: 'Refusals of Service Requests whose accounting record could not be stored (bus unavailable)',
});

/** One refusal of a Service Request, as service accounting charges it. */
export interface AccountedDecision {
  user: Eui64;
  srv: string;
  /** The refusal's response code, or "grpc-<status>" where it has none. */
  outcome: string;
  requestId: string;
}

/**
 * Stores each refusal on the ACCOUNTING stream before the User hears it, so the monthly accounting the reporting
 * service builds is exact: a refusal the User was told of is on the stream, across restarts and instances.
 * Acceptances need no record of their own: every accepted request is answered exactly once on RESPONSES, and the
 * reporting service counts the acceptance from that answer, so the accepting path pays no extra JetStream store.
 * When the store fails the refusal stands: it is logged and counted, `dcc.accounting.unrecorded`.
 */
export class RequestAccounting {
  constructor(
    private readonly publisher: DurablePublisher,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(decision: AccountedDecision, trace: Context): Promise<void> {
    const record: RequestAccounted = {
      userId: decision.user,
      serviceReferenceVariant: decision.srv,
      outcome: decision.outcome,
      decidedAtMs: this.clock(),
      requestId: decision.requestId,
    };
    try {
      // No message id: a refusal has no identity of its own (the same RequestID refused twice was refused twice).
      await this.publisher.publish(
        subjects.requestAccounting(decision.user),
        RequestAccounted,
        record,
        undefined,
        trace,
      );
    } catch (error) {
      unrecorded.add(1);
      this.log.warn({ err: error, requestId: decision.requestId }, 'accounting record not stored');
    }
  }
}
