import { requestTyped, subjects, type Requester } from '@dcc/bus';
import { DccError } from '@dcc/domain';
import {
  RoutedChfOperationRequest,
  RoutedChfOperationResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import type { RoutedRequest } from './admission.js';

/** The request bodies of the SRVs registration answers on `dcc.registration.chf.operation`. */
export type ChfOperationBody = Extract<
  NonNullable<ServiceRequest['body']>,
  {
    $case:
      | 'chfInstallSuccess'
      | 'chfInstallNoSmWan'
      | 'chfFaultReturn'
      | 'chfNoFaultReturn'
      | 'returnLocalCommandResponse';
  }
>;

/**
 * 8.13 Return Local Command Response and 8.14.1 to 8.14.4 Communications Hub Status Update, asked of registration
 * with the requesting User and role, so it checks ownership before it changes the inventory or answers.
 */
export async function askChfOperation(
  requester: Requester,
  routed: RoutedRequest,
  body: ChfOperationBody,
  timeoutMs: number,
): Promise<NonNullable<ServiceResponse['body']>> {
  const answer = await requestTyped(
    requester,
    subjects.registrationChfOperation,
    {
      codec: RoutedChfOperationRequest,
      message: { userId: routed.id.originator, userRole: routed.request.userRole, operation: body },
    },
    RoutedChfOperationResponse,
    timeoutMs,
  );
  switch (answer.result?.$case) {
    case 'chfStatusUpdated':
      return { $case: 'chfStatusUpdated', value: answer.result.value };
    case 'localCommandResponseReturned':
      return { $case: 'localCommandResponseReturned', value: answer.result.value };
    default:
      throw DccError.internal('registration answered a communications hub operation without a result');
  }
}
