import { HubClient, startLocalHub, type LocalHub, type ResponseSubscription } from '@dcc/e2e';
import type { ServiceResponse } from '@dcc/proto';
import { Correlator } from './correlator.js';
import { ReadGenerator } from './request-ids.js';

export interface SliceHub {
  hub: LocalHub;
  client: HubClient;
  reads: ReadGenerator;
  /** Operations waiting for their response on the User's Responses stream, by RequestID. */
  responses: Correlator<string>;
  close(): Promise<void>;
}

/** The whole hub in this process, a User client, and the User's Responses stream open and correlated. */
export async function startSliceHub(userId: string, fleetSize: number): Promise<SliceHub> {
  const hub = await startLocalHub({ meters: fleetSize });
  const client = new HubClient(hub.address);
  const { responses, subscription } = correlatedResponses(client, userId);
  return {
    hub,
    client,
    reads: new ReadGenerator(userId, fleetSize),
    responses,
    async close() {
      subscription.cancel();
      client.close();
      await hub.stop();
    },
  };
}

/**
 * The User's Responses stream opened and correlated by RequestID (`userId` empty: the authenticated User): I0
 * resolves the waiting operation, any other answer rejects it.
 */
export function correlatedResponses(
  client: HubClient,
  userId: string,
): { responses: Correlator<string>; subscription: ResponseSubscription } {
  const responses = new Correlator<string>();
  const onResponse = (response: ServiceResponse): void => {
    if (response.responseCode === 'I0') responses.resolve(response.requestId);
    else responses.reject(response.requestId, new Error(`${response.responseCode}: ${response.detail}`));
  };
  const subscription = client.responses(userId, onResponse);
  void subscription.ended.then((error) => error && responses.rejectAll(error));
  return { responses, subscription };
}
