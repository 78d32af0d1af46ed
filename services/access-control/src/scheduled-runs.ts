import {
  acceptedAtHeaders,
  consumers,
  DurableConsumer,
  ensureSchedulingStreams,
  streams,
  subjects,
} from '@dcc/bus';
import { DccError, parseEui64, responseIdFor, srvEntry, type Eui64 } from '@dcc/domain';
import { ScheduledRun, ServiceResponse, type ServiceRequest } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';
import { ArrivalOrder } from './arrival-order.js';
import { behindRedelivery, sendHeldRequest, TRANSIENT, type HeldRequestDeps } from './held-request-send.js';

/** The Service Request one run of a schedule stands for: its SRV for the device, read period filled in. */
export function runRequest(run: ScheduledRun): ServiceRequest {
  const entry = srvEntry(run.serviceReferenceVariant);
  const period = entry?.periodField
    ? { [entry.periodField]: { startMs: run.readStartMs, endMs: run.readEndMs } }
    : undefined;
  return {
    requestId: `${run.userId}:${run.deviceId}:${run.requestCounter}`,
    commandVariant: 1,
    serviceReferenceVariant: run.serviceReferenceVariant,
    userRole: run.userRole,
    body: entry ? ({ $case: entry.request, value: period ?? {} } as ServiceRequest['body']) : undefined,
  };
}

/**
 * Takes the runs of DCC schedules in (SCHEDULED_RUNS, submitted by the scheduling service when they fall due)
 * and puts each through the checks an on-demand request gets, at the run's due time: the User is still admitted
 * in the role and the role may send the SRV (E1, E2, E3), the body holds, and registration lets the User address
 * the device then (E19, E11, E4 — a supplier that lost the meter, an MDR whose appointment ended — E5); data
 * segregation clamps the read. A run that passes is stored on METER_MAIL tagged with its DSPScheduleID, which
 * the adapter copies onto the answer; one refused gets its refusal, tagged, on the User's Responses. The
 * RequestID counter is the scheduler's (runCounter: the due time's), so the per-User counter guard, which
 * guards Users' own submissions, is not consulted; the message ids make a redelivered run a duplicate both streams
 * drop. Scheduled runs are not screened by anomaly detection: the hub itself generates them.
 *
 * Runs are taken in concurrently, but those of one User for one device in stream order (ArrivalOrder): after
 * downtime a schedule's periods fall due together, and the meter accepts their counters only rising, so a later
 * period stored first would make it refuse the earlier one as a replay. One behind a run that will be redelivered
 * (a transient failure) is redelivered with it.
 */
export class ScheduledRuns {
  private consumer?: DurableConsumer<ScheduledRun>;
  private readonly order = new ArrivalOrder();

  private constructor(private readonly deps: HeldRequestDeps) {}

  static async start(nc: NatsConnection, deps: HeldRequestDeps): Promise<ScheduledRuns> {
    await ensureSchedulingStreams(nc);
    const runs = new ScheduledRuns(deps);
    runs.consumer = await DurableConsumer.start(nc, {
      stream: streams.scheduledRuns.name,
      durable: consumers.scheduledRuns,
      filterSubject: streams.scheduledRuns.subjects[0],
      codec: ScheduledRun,
      what: 'scheduled run',
      maxAckPending: 1_000,
      handle: (run) =>
        runs.order.run(`${run.userId}>${run.deviceId}`, () => runs.accept(run), behindRedelivery),
      onRejected: (error, msg) => deps.log.warn({ err: error, seq: msg.seq }, 'scheduled run dropped'),
    });
    return runs;
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  /** Checks one run and stores it for its meter, or its refusal for its User; resolves when either is durable. */
  async accept(run: ScheduledRun): Promise<void> {
    const { clock = Date.now } = this.deps;
    const userId = parseEui64(run.userId, 'scheduled run user id');
    const request = runRequest(run);
    try {
      await sendHeldRequest(this.deps, request, userId, run.dueMs, {
        dspScheduleId: run.dspScheduleId,
        schedulePurpose: run.purpose || undefined,
      });
    } catch (error) {
      const failure = DccError.from(error);
      if (!failure.responseCode && TRANSIENT.has(failure.status)) throw failure;
      await this.refuse(userId, run, request, failure, clock());
    }
  }

  private async refuse(
    userId: Eui64,
    run: ScheduledRun,
    request: ServiceRequest,
    failure: DccError,
    nowMs: number,
  ): Promise<void> {
    const responseId = responseIdFor({
      originator: userId,
      target: parseEui64(run.deviceId, 'scheduled run device id'),
      counter: BigInt(run.requestCounter),
    });
    const response = ServiceResponse.fromPartial({
      requestId: request.requestId,
      responseId,
      responseCode: failure.responseCode ?? '',
      statusCode: failure.status,
      serviceReferenceVariant: run.serviceReferenceVariant,
      responseDateTimeMs: nowMs,
      detail: failure.message,
      dspScheduleId: run.dspScheduleId,
      schedulePurpose: run.purpose || undefined,
    });
    await this.deps.publisher.publish(
      subjects.userResponses(userId),
      ServiceResponse,
      response,
      responseId,
      undefined,
      acceptedAtHeaders(nowMs), // a Service Response of the run, answered now (the reporting service)
    );
  }
}
