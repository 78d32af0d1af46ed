import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { expect } from 'vitest';
import { HubClient, startLocalHub } from '../src/index.js';
import { startRegistrationWithFeed } from './registration-helpers.js';

export const HUB = '90-B3-D5-1F-30-00-00-02';
export const ELECTRICITY_SUPPLIER = '90-B3-D5-1F-30-01-00-00';
export const GAS_SUPPLIER = '90-B3-D5-1F-30-09-00-00';

export type TwoSupplierHub = Awaited<ReturnType<typeof startTwoSupplierHub>>;

/**
 * The whole hub on a real nats-server with its registration loaded from `feed` (a separate process), and a gRPC
 * client for an electricity supplier (IS) and a gas supplier (GS), each reading its Responses stream.
 */
export async function startTwoSupplierHub(feed: string[], name: string, firstCounter: number) {
  const hub = await startLocalHub({
    registration: false,
    env: {
      USERS: JSON.stringify([
        { id: ELECTRICITY_SUPPLIER, roles: ['IS'] },
        { id: GAS_SUPPLIER, roles: ['GS'] },
      ]),
    },
  });
  const registration = await startRegistrationWithFeed(hub.nats.url, feed, name).catch(async (error) => {
    await hub.stop();
    throw error;
  });
  const client = new HubClient(hub.address);
  const received = new Map<string, ServiceResponse>();
  for (const user of [ELECTRICITY_SUPPLIER, GAS_SUPPLIER])
    client.responses(user, (r) => received.set(r.requestId, r));
  let counter = firstCounter;
  return {
    client,
    /** A request in the sender's supplier role: CV 8 to the hub itself (8.2), CV 1 to a device. */
    request(user: string, target: string, srv: string, body: ServiceRequest['body']): ServiceRequest {
      return {
        requestId: `${user}:${target}:${counter++}`,
        commandVariant: target === HUB ? 8 : 1,
        serviceReferenceVariant: srv,
        userRole:
          user === GAS_SUPPLIER ? UserRole.USER_ROLE_GAS_SUPPLIER : UserRole.USER_ROLE_IMPORT_SUPPLIER,
        body,
      };
    },
    /** Acknowledged I99, then its answer on the sender's Responses stream. */
    async answered(r: ServiceRequest): Promise<ServiceResponse> {
      expect((await client.submit(r)).responseCode).toBe('I99');
      return waitFor(`the answer to ${r.serviceReferenceVariant}`, () => received.get(r.requestId));
    },
    async stop(): Promise<void> {
      client.close();
      await registration.stop();
      await hub.stop();
    },
  };
}
