import {
  DurableConsumer,
  ensureFutureDatedStreams,
  futureDatedConsumers,
  futureDatedStreams,
  futureDatedSubjects,
  subjects,
} from '@dcc/bus';
import { DccError, missedTrt, parseRequestId, responseIdFor, type RequestId } from '@dcc/domain';
import { HeldRequest, ServiceResponse } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import { ArrivalOrder } from './arrival-order.js';
import { behindRedelivery, sendHeldRequest, TRANSIENT, type HeldRequestDeps } from './held-request-send.js';

/**
 * Takes held future-dated requests in when the scheduling service releases them (FUTURE_DATED `dcc.fd.released`)
 * and sends each on the normal request path, checked again as at its ExecutionDateTime: the User is still
 * admitted in the role and the role may send the SRV (E1, E2, E3), the body holds, registration lets the User
 * address the device then (E19, E11, E4, E5); data segregation clamps a log read. One released later than its
 * Target Response Time after the execution time (the hub was down or behind) is not sent: E30. A request that
 * passes is stored on METER_MAIL under its own RequestID, whose answer meter-delivery tags with the execution
 * time; a refusal is stored, tagged too, on the User's Responses. Message ids make a redelivered release a
 * duplicate both streams drop. Releases of one User for one device are sent in the order released
 * (ArrivalOrder), as the meter accepts that User's counters only rising.
 */
export class FutureDatedReleases {
  private consumer?: DurableConsumer<HeldRequest>;
  private readonly order = new ArrivalOrder();

  private constructor(private readonly deps: HeldRequestDeps) {}

  static async start(nc: NatsConnection, deps: HeldRequestDeps): Promise<FutureDatedReleases> {
    await ensureFutureDatedStreams(nc);
    const releases = new FutureDatedReleases(deps);
    releases.consumer = await DurableConsumer.start(nc, {
      stream: futureDatedStreams.futureDated.name,
      durable: futureDatedConsumers.released,
      filterSubject: futureDatedSubjects.released,
      codec: HeldRequest,
      what: 'released future-dated request',
      maxAckPending: 1_000,
      handle: (held) => releases.order.run(pairOf(held), () => releases.accept(held), behindRedelivery),
      onRejected: (error, msg) =>
        deps.log.warn({ err: error, seq: msg.seq }, 'released future-dated request dropped'),
    });
    return releases;
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  /** Sends one released request on, or stores its refusal for its User; resolves when either is durable. */
  async accept(held: HeldRequest): Promise<void> {
    const { clock = Date.now } = this.deps;
    const request = held.request;
    const executionMs = request?.executionDateTimeMs;
    if (!request || executionMs === undefined) throw DccError.invalidArgument('released without a request');
    const id = parseRequestId(request.requestId);
    // Late by either clock: the holder's at release, or this one's now (access control was down meanwhile).
    const releasedMs = Math.max(held.releasedAtMs, clock());
    try {
      if (missedTrt(executionMs, releasedMs)) {
        throw DccError.duis(
          'E30',
          `future-dated request released at ${new Date(releasedMs).toISOString()}, after its Target Response Time`,
        );
      }
      await sendHeldRequest(this.deps, request, id.originator, executionMs);
    } catch (error) {
      const failure = DccError.from(error);
      if (!failure.responseCode && TRANSIENT.has(failure.status)) throw failure;
      await this.refuse(id, held, failure, clock());
    }
  }

  private async refuse(id: RequestId, held: HeldRequest, failure: DccError, nowMs: number): Promise<void> {
    const request = held.request!;
    const responseId = responseIdFor(id);
    const response = ServiceResponse.fromPartial({
      requestId: request.requestId,
      responseId,
      responseCode: failure.responseCode ?? '',
      statusCode: failure.status,
      serviceReferenceVariant: request.serviceReferenceVariant,
      responseDateTimeMs: nowMs,
      detail: failure.message,
      executionDateTimeMs: request.executionDateTimeMs,
    });
    await this.deps.publisher.publish(
      subjects.userResponses(id.originator),
      ServiceResponse,
      response,
      responseId,
    );
  }
}

/** The originator and device a released request is for (its RequestID's first two parts). */
function pairOf(held: HeldRequest): string {
  return held.request?.requestId.split(':', 2).join('>') ?? '';
}
