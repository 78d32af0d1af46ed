import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { expect } from 'vitest';
import type { HubClient } from '../src/index.js';

/** Access control's default HUB_ID: the target of every non-device (CV 8) request. */
export const HUB = '90-B3-D5-1F-30-00-00-02';

/**
 * Non-device requests to the hub for one test file: `routed` builds one (command variant 8, a fresh counter per
 * request), `answered` submits it, expects I99 and waits for the response stored for the User.
 */
export function routedRequests(
  hub: () => { client: HubClient; received: ReadonlyMap<string, ServiceResponse> },
  firstCounter: number,
) {
  let counter = firstCounter;
  const routed = (
    srv: string,
    body: NonNullable<ServiceRequest['body']>,
    user: string,
    userRole = UserRole.USER_ROLE_IMPORT_SUPPLIER,
  ): ServiceRequest => ({
    requestId: `${user}:${HUB}:${counter++}`,
    commandVariant: 8,
    serviceReferenceVariant: srv,
    userRole,
    body,
  });
  async function answered(request: ServiceRequest): Promise<ServiceResponse> {
    const { client, received } = hub();
    const ack = await client.submit(request);
    expect(ack.responseCode).toBe('I99');
    return waitFor('the response', () => received.get(request.requestId));
  }
  return { routed, answered };
}
