import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError, GrpcStatus, responseIdFor } from '@dcc/domain';
import {
  ReadInventoryRequest,
  ReadInventoryResponse,
  RequestWanMatrixRequest,
  RoutedInventoryChangeRequest,
  RoutedInventoryChangeResponse,
  RoutedScheduleRequest,
  RoutedScheduleResponse,
  ServiceResponse,
  WanMatrixResponse,
  type ServiceRequest,
} from '@dcc/proto';
import type { RoutedRequest } from './admission.js';
import { askChfOperation } from './chf-operation-routing.js';
import { DEFAULT_REGISTRATION_TIMEOUT_MS } from './registration-check.js';

/** What the owner of a routed non-device SRV answered: the response body, or its refusal. */
export type OwnerOutcome = { body: NonNullable<ServiceResponse['body']> } | { error: DccError };

/** Asks the service that owns a routed non-device SRV (ROUTED_NON_DEVICE_SRVS) for its answer. */
export interface NonDeviceRouter {
  /**
   * The ServiceResponse to store for the User: I0 with the body, or the owner's refusal as a response. Throws
   * UNAVAILABLE "registration unavailable" when the owner does not answer (nothing is stored then).
   */
  answer(routed: RoutedRequest, nowMs: number): Promise<ServiceResponse>;
}

/** Failures that mean the owner did not answer, rather than answered with a refusal. */
const NO_ANSWER: ReadonlySet<number> = new Set([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED]);

/**
 * Routes non-device SRVs to their owners over NATS request/reply (the process's shared Requester): 5.1 Create,
 * 5.2 Read and 5.3 Delete Schedule to the scheduling service on `dcc.scheduling.request`; to registration, 8.2 Read
 * Inventory on `dcc.registration.inventory.read`, 12.1 Request WAN Matrix on `dcc.registration.wan.matrix`; 8.3
 * Decommission Device, 8.4 Update Inventory, 8.6 Service Opt In and 12.2 Device Pre-notification on
 * `dcc.registration.inventory.change`, with the requesting User and role so registration checks
 * ownership (E4) before it applies the change; 8.13 and 8.14.x on
 * `dcc.registration.chf.operation` likewise.
 */
export class NatsNonDeviceRouter implements NonDeviceRouter {
  constructor(
    private readonly requester: Requester,
    private readonly timeoutMs = DEFAULT_REGISTRATION_TIMEOUT_MS,
  ) {}

  async answer(routed: RoutedRequest, nowMs: number): Promise<ServiceResponse> {
    const outcome = await this.ask(routed, nowMs).then(
      (body): OwnerOutcome => ({ body }),
      (error: unknown): OwnerOutcome => ({ error: DccError.from(error) }),
    );
    return routedResponse(routed, outcome, nowMs);
  }

  private async ask(routed: RoutedRequest, nowMs: number): Promise<NonNullable<ServiceResponse['body']>> {
    const body = routed.request.body;
    switch (body?.$case) {
      case 'readInventory': {
        const value = await requestTyped(
          this.requester,
          subjects.registrationInventoryRead,
          { codec: ReadInventoryRequest, message: body.value },
          ReadInventoryResponse,
          this.timeoutMs,
        );
        return { $case: 'inventory', value };
      }
      case 'requestWanMatrix': {
        const value = await requestTyped(
          this.requester,
          subjects.registrationWanMatrix,
          { codec: RequestWanMatrixRequest, message: body.value },
          WanMatrixResponse,
          this.timeoutMs,
        );
        return { $case: 'wanMatrix', value };
      }
      case 'decommissionDevice':
      case 'updateInventory':
      case 'serviceOptIn':
      case 'devicePrenotification': {
        const answer = await requestTyped(
          this.requester,
          subjects.registrationInventoryChange,
          {
            codec: RoutedInventoryChangeRequest,
            message: {
              userId: routed.id.originator,
              userRole: routed.request.userRole,
              change: body,
            },
          },
          RoutedInventoryChangeResponse,
          this.timeoutMs,
        );
        return bodyOfChange(answer);
      }
      case 'createSchedule':
      case 'readSchedule':
      case 'deleteSchedule': {
        const operation = scheduleOperation(body);
        const answer = await requestTyped(
          this.requester,
          subjects.schedulingRequest,
          {
            codec: RoutedScheduleRequest,
            message: {
              userId: routed.id.originator,
              userRole: routed.request.userRole,
              instantMs: nowMs,
              operation,
            },
          },
          RoutedScheduleResponse,
          this.timeoutMs,
        );
        return bodyOfSchedule(answer);
      }
      case 'chfInstallSuccess':
      case 'chfInstallNoSmWan':
      case 'chfFaultReturn':
      case 'chfNoFaultReturn':
      case 'returnLocalCommandResponse':
        return askChfOperation(this.requester, routed, body, this.timeoutMs);
      default:
        // Admission lets only the SRV's own body case through, and every non-device SRV's case is routed above.
        throw DccError.internal(`SRV ${routed.srv.srv}: no route for a ${body?.$case ?? 'missing'} body`);
    }
  }
}

type ScheduleBody = Extract<
  NonNullable<ServiceRequest['body']>,
  { $case: 'createSchedule' | 'readSchedule' | 'deleteSchedule' }
>;

/** The scheduling service's operation for a 5.1 / 5.2 / 5.3 body. */
function scheduleOperation(body: ScheduleBody): RoutedScheduleRequest['operation'] {
  switch (body.$case) {
    case 'createSchedule':
      return { $case: 'create', value: body.value };
    case 'readSchedule':
      return { $case: 'read', value: body.value };
    case 'deleteSchedule':
      return { $case: 'delete', value: body.value };
  }
}

/** The ServiceResponse body of the scheduling service's answer. */
function bodyOfSchedule(answer: RoutedScheduleResponse): NonNullable<ServiceResponse['body']> {
  switch (answer.result?.$case) {
    case 'created':
      return { $case: 'scheduleCreated', value: answer.result.value };
    case 'read':
      return { $case: 'schedulesRead', value: answer.result.value };
    case 'deleted':
      return { $case: 'scheduleDeleted', value: answer.result.value };
    default:
      throw DccError.internal('scheduling answered without a result');
  }
}

/** The ServiceResponse body of registration's answer to a routed inventory change. */
function bodyOfChange(answer: RoutedInventoryChangeResponse): NonNullable<ServiceResponse['body']> {
  switch (answer.result?.$case) {
    case 'deviceDecommissioned':
      return { $case: 'deviceDecommissioned', value: answer.result.value };
    case 'inventoryUpdated':
      return { $case: 'inventoryUpdated', value: answer.result.value };
    case 'devicePrenotified':
      return { $case: 'devicePrenotified', value: answer.result.value };
    case 'serviceOptedIn':
      return { $case: 'serviceOptedIn', value: answer.result.value };
    default:
      throw DccError.internal('registration answered an inventory change without a result');
  }
}

/**
 * The response a routed request gets from its owner's outcome: I0 with the body; a refusal (a DUIS code such as
 * E19, or a status such as NOT_FOUND / INVALID_ARGUMENT) as a failure response with its code, status and detail.
 * No answer at all is thrown as UNAVAILABLE "registration unavailable". Exported for unit tests.
 */
export function routedResponse(routed: RoutedRequest, outcome: OwnerOutcome, nowMs: number): ServiceResponse {
  const base = {
    requestId: routed.request.requestId,
    responseId: responseIdFor(routed.id),
    serviceReferenceVariant: routed.srv.srv,
    responseDateTimeMs: nowMs,
  };
  if ('body' in outcome) {
    return ServiceResponse.fromPartial({
      ...base,
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      body: outcome.body,
    });
  }
  const { error } = outcome;
  if (!error.responseCode && NO_ANSWER.has(error.status)) {
    throw DccError.unavailable(`${routed.owner} unavailable: ${error.message}`);
  }
  return ServiceResponse.fromPartial({
    ...base,
    responseCode: error.responseCode ?? '',
    statusCode: error.status,
    detail: error.message,
  });
}
