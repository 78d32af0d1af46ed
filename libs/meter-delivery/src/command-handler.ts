import { MailboxFullError } from '@dcc/actors';
import { acceptedAtHeaders, subjects, type DurablePublisher } from '@dcc/bus';
import {
  DccError,
  GrpcStatus,
  parseEui64,
  parseRequestId,
  responseIdFor,
  withinOnDemandTrt,
} from '@dcc/domain';
import { ServiceResponse, type MeterCommand } from '@dcc/proto';
import { lazyCounter, lazyHistogram } from '@dcc/service-kit';
import { context, type Context } from '@opentelemetry/api';
import { publishAlerts } from './alert-egress.js';
import type { InventoryEffects } from './inventory-effects.js';

const executed = lazyCounter('@dcc/meter-delivery', 'dcc.meter.commands', {
  description: 'Commands answered by meter actors, by SRV and response code',
});
const responseTime = lazyHistogram('@dcc/meter-delivery', 'dcc.meter.response.time', {
  description: "From acceptance by access control to the response stored on the User's stream, by SRV",
  unit: 'ms',
  advice: {
    explicitBucketBoundaries: [50, 100, 250, 500, 1000, 2500, 5000, 10000, 20000, 30000, 60000, 120000],
  },
});
const trtResponses = lazyCounter('@dcc/meter-delivery', 'dcc.trt.responses', {
  description: 'Responses stored, by SRV and whether within the on-demand Target Response Time',
});

/**
 * Answers one accepted command: runs it (on its meter actor, inside the actor's turn) and stores the outcome on
 * the User's response stream, after the alerts the device raised with it are stored on ALERTS (alert-egress.ts).
 * It resolves only after the response is durable; the actor runtime stores the
 * meter's state and acknowledges the command (it leaves METER_MAIL) only after that. A crash in between
 * redelivers the command: it runs again on the state stored before, and its response, carrying the same
 * message id (answerMessageId), is a duplicate the Responses stream drops, so a User gets one answer.
 */
export function createCommandHandler(
  publisher: DurablePublisher,
  clock: () => number = Date.now,
  /** What an executed command changes in the inventory (HAN joins), recorded before its response is stored. */
  inventory?: InventoryEffects,
) {
  return async (
    command: MeterCommand,
    run: (command: MeterCommand) => ServiceResponse | Promise<ServiceResponse>,
    /** The command's trace, forwarded on its response (the active context only while tracing is on). */
    trace: Context = context.active(),
  ): Promise<ServiceResponse> => {
    if (!command.request) throw DccError.invalidArgument('meter command without a request');
    const userId = parseEui64(command.userId, 'meter command user id');
    const deviceId = parseEui64(command.deviceId, 'meter command device id');
    const answer = await Promise.resolve()
      .then(() => run(command))
      .catch((error: unknown) => failureResponse(command, error, clock));
    // A run of a DCC schedule: its answer names the schedule (DUIS DSPScheduledMessage) and its purpose; a DSP
    // future-dated request's answer is a future-dated response, tagged with the ExecutionDateTime it was held to.
    const executionDateTimeMs = command.request.executionDateTimeMs;
    const response = {
      ...answer,
      ...(command.dspScheduleId
        ? { dspScheduleId: command.dspScheduleId, schedulePurpose: command.schedulePurpose }
        : {}),
      ...(executionDateTimeMs ? { executionDateTimeMs } : {}),
    };
    await inventory?.(command, response, trace);
    // The alerts the answer carries go to their recipients too (the alert router), stored before the answer.
    await publishAlerts(
      publisher,
      deviceId,
      response.alerts,
      { occasion: 'command', requestId: command.request.requestId },
      response.responseDateTimeMs,
      trace,
    );
    await publisher.publish(
      subjects.userResponses(userId),
      ServiceResponse,
      response,
      answerMessageId(command),
      trace,
      // The reporting service measures the Target Response Time from the acceptance.
      command.acceptedAtMs > 0 ? acceptedAtHeaders(command.acceptedAtMs) : {},
    );
    const srv = response.serviceReferenceVariant;
    executed.add(1, {
      'dcc.srv': srv,
      'dcc.response_code': response.responseCode || `grpc-${response.statusCode}`,
    });
    // A redelivered command is measured again from the same acceptance: late is late, whoever answered.
    if (command.acceptedAtMs > 0) {
      const elapsed = clock() - command.acceptedAtMs;
      responseTime.record(elapsed, { 'dcc.srv': srv });
      trtResponses.add(1, { 'dcc.srv': srv, 'dcc.within_trt': String(withinOnDemandTrt(elapsed)) });
    }
    return response;
  };
}

/**
 * The Responses stream's message id for the answer to one stored command: its ResponseID and the instant access
 * control accepted it. A redelivery of the same stored command (same instant) answers as a duplicate the stream
 * drops, whatever its outcome; a replayed RequestID that reached the meter again is another stored command
 * (another instant), so the meter's refusal is stored and answered, not taken for the first answer's duplicate.
 */
export function answerMessageId(command: MeterCommand): string {
  return `${responseIdFor(parseRequestId(command.request!.requestId))}@${command.acceptedAtMs}`;
}

/** Failures a retry can cure: the command stays in METER_MAIL and runs again before its meter's later commands. */
const TRANSIENT: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.ABORTED,
]);

/**
 * The outcome a User gets for a command its meter refused or failed. Transient failures (a full mailbox, the
 * bus unavailable) are rethrown so the command runs again; everything else is final, or it would loop.
 */
function failureResponse(command: MeterCommand, error: unknown, clock: () => number): ServiceResponse {
  const failure =
    error instanceof MailboxFullError
      ? new DccError(GrpcStatus.RESOURCE_EXHAUSTED, error.message)
      : DccError.from(error);
  if (!failure.responseCode && TRANSIENT.has(failure.status)) throw failure;
  const request = command.request!;
  return {
    requestId: request.requestId,
    responseId: responseIdFor(parseRequestId(request.requestId)),
    responseCode: failure.responseCode ?? '',
    serviceReferenceVariant: request.serviceReferenceVariant,
    responseDateTimeMs: clock(),
    detail: failure.message,
    statusCode: failure.status,
    alerts: [],
    deviceOutcome: undefined,
    body: undefined,
  };
}
