import { acceptedAtHeaders, subjects, type DurablePublisher } from '@dcc/bus';
import {
  DccError,
  dispatchesOverWan,
  GrpcStatus,
  isLocalDelivery,
  parseRequestId,
  SIGNED_VARIANTS,
  type Eui64,
} from '@dcc/domain';
import { MeterCommand, ServiceResponse, type Acknowledgement, type ServiceRequest } from '@dcc/proto';
import { lazyCounter, lazyHistogram, type Logger } from '@dcc/service-kit';
import { context, type Context } from '@opentelemetry/api';
import { admitSubmission, type AdmittedRequest, type RoutedRequest } from './admission.js';
import { ArrivalOrder } from './arrival-order.js';
import { checkSignedParameters, validateBody } from './body-validation.js';
import { CosParty } from './cos-party.js';
import { CounterGuard } from './counter-guard.js';
import { fillSavedDeviceLog, type SavedDeviceLogs } from './device-log-fill.js';
import { futureDatedExecution, holdFutureDated } from './future-dated-intake.js';
import { clampDetail, clampLogPeriod } from './data-segregation.js';
import { PreCommands } from './critical-commands.js';
import { meterCommandOf } from './meter-command.js';
import { checkScheduledTarget } from './schedule-admission.js';
import { withSupplierSigningKey } from './supplier-anchor.js';
import type { AnomalyScreen } from './anomaly-screen.js';
import type { FirmwareDistributor } from './firmware-distribution.js';
import { routedResponse, type NonDeviceRouter } from './non-device-routing.js';
import type { RegistrationCheck } from './registration-check.js';
import type { RequestAccounting } from './request-accounting.js';
import type { UserDirectory } from './user-directory.js';

export interface IntakeDeps {
  users: UserDirectory;
  publisher: DurablePublisher;
  partitions: number;
  /** Anomaly detection and quarantine (anomaly-screen.ts); none: every admitted request is dispatched. */
  anomalies?: AnomalyScreen;
  clock?: () => number;
  /** The transform-and-sign path of critical SRVs (CV 4/5); a random-keyed one when absent. */
  preCommands?: PreCommands;
  /**
   * E19 / E11 / E4 / E5 and the delivery path, asked of the registration service's inventory at request time
   * (registration-check.ts).
   */
  registration: RegistrationCheck;
  /** The Change of Supplier party that signs 6.23 credential swaps (cos-party.ts); keyless when absent. */
  cosParty?: CosParty;
  /** Replayed or stale RequestID counters; a fresh guard when absent. */
  counters?: CounterGuard;
  /** Where refused replays are logged. */
  log?: Logger;
  /** The hub's own id (HUB_ID), the target of non-device SRVs; admission's default when absent. */
  hubId?: Eui64;
  /**
   * Non-device SRVs answered by registration (8.2, 8.3, 8.4, 12.2): asked over NATS, their answer stored on the
   * User's Responses stream; none: they are refused as UNAVAILABLE.
   */
  nonDevice?: NonDeviceRouter;
  /** 8.12.x: the old CHF's or GPF's saved device log (device-log-fill.ts); none: they are refused as UNAVAILABLE. */
  deviceLogs?: SavedDeviceLogs;
  /** 11.1 and 11.4 (firmware-distribution.ts); none: they are refused as UNAVAILABLE. */
  firmware?: FirmwareDistributor;
  /** Service accounting: every refusal stored on ACCOUNTING before the User hears it; none: not recorded. */
  accounting?: RequestAccounting;
}

/**
 * Takes a Service Request in: admits it, stores it durably on its meter's mail subject, and only then
 * acknowledges with I99. A crash after the acknowledgement cannot lose the request.
 */
const submitted = lazyCounter('@dcc/access-control', 'dcc.requests.submitted', {
  description: 'Service Requests submitted, by SRV, User and outcome (I99 or the refusal code)',
});
const acceptDuration = lazyHistogram('@dcc/access-control', 'dcc.requests.accept.duration', {
  description: 'Admission plus durable hand-off of one Service Request',
  unit: 'ms',
});

export class RequestIntake {
  private readonly preCommands: PreCommands;
  private readonly counters: CounterGuard;
  private readonly cosParty: CosParty;
  /** Each (originator, device) pair's requests from the replay check to the store, one after another. */
  private readonly arrivals = new ArrivalOrder();

  constructor(private readonly deps: IntakeDeps) {
    this.preCommands = deps.preCommands ?? new PreCommands();
    this.cosParty = deps.cosParty ?? new CosParty(undefined);
    this.counters = deps.counters ?? new CounterGuard();
  }

  /**
   * `authenticatedAs`: the User the transport proved (mutual TLS); absent on a plaintext development server.
   * `trace`: the call's trace context, forwarded on what is stored (the active one only while tracing is on).
   */
  async accept(
    request: ServiceRequest | undefined,
    authenticatedAs?: Eui64,
    trace: Context = context.active(),
  ): Promise<Acknowledgement> {
    const started = performance.now();
    const srv = request?.serviceReferenceVariant.slice(0, 16) ?? '';
    const requestId = request?.requestId ?? '';
    try {
      const ack = await this.admitAndStore(request, authenticatedAs, trace);
      // Admitted: its originator is a known User (the one the certificate proved, when there is one).
      const user = authenticatedAs ?? parseRequestId(request!.requestId).originator;
      submitted.add(1, { 'dcc.srv': srv, 'dcc.user': user, 'dcc.outcome': 'I99' });
      // No accounting record: an accepted request's answer on RESPONSES is its durable record (reporting).
      return ack;
    } catch (error) {
      const failure = DccError.from(error);
      const outcome = failure.responseCode ?? `grpc-${failure.status}`;
      // A refused request names only a proven User: an unproven originator is whatever the caller typed.
      submitted.add(1, {
        'dcc.srv': srv,
        'dcc.user': authenticatedAs ?? 'unauthenticated',
        'dcc.outcome': outcome,
      });
      const charged = authenticatedAs ?? this.plaintextOriginator(request);
      if (charged) await this.deps.accounting?.record({ user: charged, srv, outcome, requestId }, trace);
      throw failure;
    } finally {
      acceptDuration.record(performance.now() - started);
    }
  }

  /**
   * Whom a refusal is charged to on a plaintext development server, where no caller is proven: the RequestID's
   * originator when it is a User the hub knows (as an accepted request is charged there). With mutual TLS only
   * the proven User is charged, never what a caller typed.
   */
  private plaintextOriginator(request: ServiceRequest | undefined): Eui64 | undefined {
    try {
      const originator = parseRequestId(request?.requestId ?? '').originator;
      return this.deps.users.find(originator) ? originator : undefined;
    } catch {
      return undefined;
    }
  }

  private async admitAndStore(
    request: ServiceRequest | undefined,
    authenticatedAs: Eui64 | undefined,
    trace: Context,
  ): Promise<Acknowledgement> {
    const { users, clock = Date.now } = this.deps;
    const checked = admitSubmission(request, users, {
      ...(authenticatedAs ? { authenticatedAs } : {}),
      ...(this.deps.hubId ? { hubId: this.deps.hubId } : {}),
    });
    // Every value the hub can check without the device, before anything is issued, returned or stored.
    validateBody(checked.request, checked.srv);
    // A DSP future-dated request: its ExecutionDateTime too (the SRV's pattern, ahead, within the horizon).
    const executionMs = futureDatedExecution(checked, clock());
    // A non-device request reaches no meter, so its counters need no order beyond the replay check's.
    if ('owner' in checked) return this.checkAndStore(checked, executionMs, trace);
    const { originator, target } = checked.id;
    return this.arrivals.run(`${originator}>${target}`, () =>
      this.checkAndStore(checked, executionMs, trace),
    );
  }

  /** Everything from the replay check to the store, which may take a varying time per request. */
  private async checkAndStore(
    checked: AdmittedRequest | RoutedRequest,
    executionMs: number | undefined,
    trace: Context,
  ): Promise<Acknowledgement> {
    const { publisher, partitions, clock = Date.now } = this.deps;
    try {
      await this.counters.check(checked.id);
    } catch (error) {
      this.deps.log?.warn({ requestId: checked.request.requestId }, (error as Error).message);
      throw error;
    }
    if ('owner' in checked) return this.route(checked, trace);
    // 6.15.1 replacing the supplier's own anchor: its certificates must be its own and certify a registered
    // signing key, which the request then names (supplier-anchor.ts). Before the pre-command is issued, so the
    // User signs the key named and the device runs what was signed; a CV 5 body is completed the same way to
    // compare with the signed one, and the signed one is checked again once verified.
    const step = this.preCommands.admit({ ...checked, request: withSupplierSigningKey(checked) });
    if ('admitted' in step && SIGNED_VARIANTS.has(step.admitted.request.commandVariant)) {
      checkSignedParameters(step.admitted.request, step.admitted.srv);
    }
    // After the synchronous checks, before anything is issued or stored: does the inventory hold the device
    // (E19) as a type the SRV applies to (E11), may this User address it now (E4), does its SMI status allow
    // the SRV (E5), and which path delivers to it? Asked for CV 4 too, so no pre-command is issued for a meter
    // the User may not command.
    const grant = await this.deps.registration.check(checked, clock());
    if ('acknowledgement' in step) return step.acknowledgement; // CV 4: the pre-command, nothing stored
    const admitted = { ...step.admitted, request: withSupplierSigningKey(step.admitted) };
    // 6.23, once registration has let the sender address the meter: the CoS party installs the sender's own
    // credentials and signs the swap (cos-party.ts). Other requests pass unchanged.
    const cosChecked = this.cosParty.authorise(admitted, grant.mpxn);
    // 8.12.x: the old device's saved log filled in from the inventory, or the request refused before I99.
    const authorised = await fillSavedDeviceLog(this.deps.deviceLogs, { ...admitted, request: cosChecked });
    // Future-dated: checked in full, now held until its time (released through future-dated-releases.ts).
    if (executionMs !== undefined) return this.hold(admitted, authorised, trace);
    // Data segregation: a log read reaches no earlier than the requester's holding and the tenancy.
    const segregated = clampLogPeriod(authorised, grant.dataFromMs);
    const detail = segregated.clampedFromMs === undefined ? '' : clampDetail(segregated.clampedFromMs);
    // Local delivery (CV 2, 3, 6, 7; local-delivery.ts): the command countersigned for the User to deliver. CV 2
    // and 6 stop here: I0, nothing stored or sent (and not screened for anomalies: nothing is dispatched).
    const cv = admitted.request.commandVariant;
    const localCommand = isLocalDelivery(cv)
      ? this.preCommands.localCommand({ ...admitted, request: segregated.request })
      : undefined;
    if (localCommand && !dispatchesOverWan(cv)) {
      await this.counters.record(admitted.id); // its RequestID is spent
      return {
        requestId: admitted.request.requestId,
        responseCode: 'I0',
        statusCode: GrpcStatus.OK,
        detail,
        localCommand,
      };
    }
    const { command, subject } = meterCommandOf(admitted, segregated.request, grant, clock(), partitions);
    // Over an anomaly threshold: stored in quarantine instead, and acknowledged as such.
    const screened = await this.deps.anomalies?.screen(admitted, command, subject);
    if (screened?.acknowledgement) {
      await this.counters.record(admitted.id); // quarantined is accepted: its RequestID is spent
      return screened.acknowledgement;
    }
    // The RequestID is the message id: the stream refuses a second copy inside its duplicate window.
    const stored = await publisher
      .publish(subject, MeterCommand, command, admitted.request.requestId, trace)
      .catch((error: unknown) => {
        screened?.undo();
        throw error;
      });
    if (stored.duplicate) {
      screened?.undo();
      throw alreadyAccepted(admitted.request.requestId);
    }
    await this.counters.record(admitted.id);
    return {
      ...i99(admitted.request.requestId, detail),
      ...(localCommand ? { localCommand } : {}), // CV 3 and 7: the local copy too
    };
  }

  /** Hands a future-dated request to its holder and acknowledges it I99 once that is durable. */
  private async hold(
    admitted: AdmittedRequest,
    request: ServiceRequest,
    trace: Context,
  ): Promise<Acknowledgement> {
    const { publisher, clock = Date.now } = this.deps;
    const stored = await holdFutureDated(publisher, request, admitted.id.originator, clock(), trace);
    if (stored.duplicate) throw alreadyAccepted(request.requestId);
    await this.counters.record(admitted.id);
    const at = new Date(request.executionDateTimeMs!).toISOString();
    return i99(request.requestId, `held until ${at}`);
  }

  /**
   * A non-device SRV routed to the service that answers it: its answer (I0 with the body, or its refusal) is
   * stored on the User's Responses stream (the ResponseID is the message id, as the adapters do), and only then
   * is the request acknowledged with I99. No answer from the owner: UNAVAILABLE, nothing stored.
   */
  private async route(routed: RoutedRequest, trace: Context): Promise<Acknowledgement> {
    const { publisher, clock = Date.now } = this.deps;
    // 5.1: the role and the scheduled device are judged now, before anything is stored (E2, E19, E11, E4, E5).
    const acceptedAtMs = clock();
    await checkScheduledTarget(routed, this.deps.registration, acceptedAtMs);
    const response = await this.answerOf(routed, acceptedAtMs, trace);
    const stored = await publisher.publish(
      subjects.userResponses(routed.id.originator),
      ServiceResponse,
      response,
      response.responseId,
      trace,
      acceptedAtHeaders(acceptedAtMs), // its Target Response Time runs from here (the reporting service)
    );
    if (stored.duplicate) throw alreadyAccepted(routed.request.requestId);
    await this.counters.record(routed.id);
    return i99(routed.request.requestId, '');
  }

  /** The owner's answer: firmware is distributed here (its refusals are the request's), the rest asked over NATS. */
  private async answerOf(routed: RoutedRequest, nowMs: number, trace: Context): Promise<ServiceResponse> {
    const { nonDevice, firmware } = this.deps;
    if (routed.owner === 'firmware-distribution') {
      if (!firmware) throw DccError.unavailable(`${routed.owner} unavailable: no route configured`);
      return routedResponse(routed, { body: await firmware.answer(routed, nowMs, trace) }, nowMs);
    }
    if (!nonDevice) throw DccError.unavailable(`${routed.owner} unavailable: no route configured`);
    return nonDevice.answer(routed, nowMs);
  }
}

/** The acknowledgement of a request now stored (dispatched, quarantined or answered). */
function i99(requestId: string, detail: string): Acknowledgement {
  return { requestId, responseCode: 'I99', statusCode: GrpcStatus.OK, detail };
}

/** The stream's duplicate window already holds this RequestID. */
function alreadyAccepted(requestId: string): DccError {
  return new DccError(GrpcStatus.ALREADY_EXISTS, `RequestID ${requestId} was already accepted`);
}

/** A refusal as the acknowledgement a stream sends for one request. */
export function rejection(request: ServiceRequest | undefined, error: unknown): Acknowledgement {
  const failure = DccError.from(error);
  return {
    requestId: request?.requestId ?? '',
    responseCode: failure.responseCode ?? '',
    statusCode: failure.status,
    detail: failure.message,
  };
}
