import { SRV_TABLE, type SrvRequestBodyCase, type SrvResponseBodyCase, type SupportedSrv } from '@dcc/domain';
import type { ServiceRequest, ServiceResponse } from './gen/dcc/v1/service_request.js';

/** The case of ServiceRequest.body that carries an SRV's parameters. */
export type RequestBodyCase = NonNullable<ServiceRequest['body']>['$case'];
/** The case of ServiceResponse.body that carries an SRV's answer. */
export type ResponseBodyCase = NonNullable<ServiceResponse['body']>['$case'];

/*
 * The SRV table (libs/domain srv-table.ts) names body cases as strings, because libs/domain depends on nothing.
 * These assignments fail to compile when it names a case the .proto lacks, or when ServiceRequest.body has a case
 * no SRV claims.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const requestCasesAgree: Same<SrvRequestBodyCase, RequestBodyCase> = true;
const responseCasesExist: SrvResponseBodyCase extends ResponseBodyCase ? true : false = true;
void requestCasesAgree;
void responseCasesExist;

export interface SrvBodies {
  /** The request body case that belongs to the SRV. */
  request: RequestBodyCase;
  /** Whether a request must carry it (SRVs with parameters); parameterless SRVs may omit it. */
  required: boolean;
  /** The response body case of an executed command (or of the owner's answer). */
  response: ResponseBodyCase;
}

function bodiesWhere(device: boolean): Readonly<Record<string, SrvBodies>> {
  const entries = Object.entries(SRV_TABLE) as [SupportedSrv, (typeof SRV_TABLE)[SupportedSrv]][];
  return Object.fromEntries(
    entries
      .filter(([, entry]) => (entry.answeredBy === 'device') === device)
      .map(([srv, entry]) => [
        srv,
        { request: entry.request, required: entry.bodyRequired, response: entry.response },
      ]),
  );
}

/** The body cases of the device SRVs the hub supports, derived from the SRV table. */
export const SRV_BODIES: Readonly<Record<string, SrvBodies>> = bodiesWhere(true);

/** The body cases of the routed non-device SRVs (command variant 8, answered by a hub service). */
export const NON_DEVICE_SRV_BODIES: Readonly<Record<string, SrvBodies>> = bodiesWhere(false);

/** The SRV's body cases (device or routed non-device), or undefined when the hub does not support it. */
export function srvBodiesOf(srv: string): SrvBodies | undefined {
  if (Object.hasOwn(SRV_BODIES, srv)) return SRV_BODIES[srv];
  return Object.hasOwn(NON_DEVICE_SRV_BODIES, srv) ? NON_DEVICE_SRV_BODIES[srv] : undefined;
}
