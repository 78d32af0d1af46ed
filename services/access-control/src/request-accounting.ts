import { subjects, type DurablePublisher } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { RequestAccounted } from '@dcc/proto';
import { lazyCounter, type Logger } from '@dcc/service-kit';
import type { Context } from '@opentelemetry/api';

const unrecorded = lazyCounter('@dcc/access-control', 'dcc.accounting.unrecorded', {
  description: 'Decisions on Service Requests whose accounting record could not be stored (bus unavailable)',
});

/** One decision on a Service Request, as service accounting charges it. */
export interface AccountedDecision {
  user: Eui64;
  srv: string;
  /** I99, I0 (local delivery), or the refusal's response code or "grpc-<status>". */
  outcome: string;
  requestId: string;
}

/**
 * Stores each decision on the ACCOUNTING stream before the User hears it, so the monthly accounting the reporting
 * service builds from the stream is exact: a decision the User was told of is on the stream, across restarts and
 * instances. It costs one JetStream store per request. An accepted request's record has its RequestID as message
 * id, so storing the same acceptance twice counts once. When the store fails the decision stands (an accepted
 * request is stored already; a refusal is a refusal): it is logged and counted, `dcc.accounting.unrecorded`.
 */
export class RequestAccounting {
  constructor(
    private readonly publisher: DurablePublisher,
    private readonly log: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  async record(decision: AccountedDecision, trace: Context): Promise<void> {
    const accepted = decision.outcome === 'I99' || decision.outcome === 'I0';
    const record: RequestAccounted = {
      userId: decision.user,
      serviceReferenceVariant: decision.srv,
      outcome: decision.outcome,
      decidedAtMs: this.clock(),
      requestId: decision.requestId,
    };
    try {
      await this.publisher.publish(
        subjects.requestAccounting(decision.user),
        RequestAccounted,
        record,
        // A refusal has no identity of its own: the same RequestID refused twice was refused twice.
        accepted ? `accepted:${decision.requestId}` : undefined,
        trace,
      );
    } catch (error) {
      unrecorded.add(1);
      this.log.warn({ err: error, requestId: decision.requestId }, 'accounting record not stored');
    }
  }
}
