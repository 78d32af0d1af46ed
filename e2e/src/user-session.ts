import { sign, type KeyObject } from 'node:crypto';
import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import type { HubClient } from './hub-client.js';

/**
 * One User as a test drives it through the hub's gRPC API: RequestIDs with increasing counters, CV 1 for
 * non-critical SRVs, CV 4 → sign the pre-command (ECDSA P-256 / SHA-256, DER) → CV 5 for critical ones, and its
 * responses collected from its Responses stream by RequestID.
 */
export class UserSession {
  private readonly received = new Map<string, ServiceResponse>();
  private counter: number;

  constructor(
    private readonly client: HubClient,
    readonly userId: string,
    private readonly signingKey: KeyObject,
    private readonly userRole = UserRole.USER_ROLE_IMPORT_SUPPLIER,
    firstCounter = 10_000,
  ) {
    this.counter = firstCounter;
    client.responses(userId, (r) => this.received.set(r.requestId, r));
  }

  request(
    device: string,
    srv: string,
    commandVariant: number,
    body?: ServiceRequest['body'],
  ): ServiceRequest {
    return {
      requestId: `${this.userId}:${device}:${this.counter++}`,
      commandVariant,
      serviceReferenceVariant: srv,
      userRole: this.userRole,
      body,
    };
  }

  /** CV 4 then the signed CV 5: the CV 5 request, acknowledged I99. */
  async sendCritical(device: string, srv: string, body?: ServiceRequest['body']): Promise<ServiceRequest> {
    const cv4 = this.request(device, srv, 4, body);
    const ack = await this.client.submit(cv4);
    if (ack.responseCode !== 'I0' || !ack.preCommand) throw new Error(`${srv} CV 4: ${ack.responseCode}`);
    const cv5: ServiceRequest = {
      ...cv4,
      commandVariant: 5,
      body: undefined,
      signedPreCommand: {
        preCommand: ack.preCommand,
        signature: sign('sha256', ack.preCommand, { key: this.signingKey, dsaEncoding: 'der' }),
        keyId: '1',
      },
    };
    const signed = await this.client.submit(cv5);
    if (signed.responseCode !== 'I99') throw new Error(`${srv} CV 5: ${signed.responseCode}`);
    return cv5;
  }

  /** A non-critical SRV with CV 1, acknowledged I99. */
  async send(device: string, srv: string, body?: ServiceRequest['body']): Promise<ServiceRequest> {
    const request = this.request(device, srv, 1, body);
    const ack = await this.client.submit(request);
    if (ack.responseCode !== 'I99') throw new Error(`${srv}: ${ack.responseCode}`);
    return request;
  }

  /** The response the hub delivered for the request. */
  answer(request: ServiceRequest): Promise<ServiceResponse> {
    return waitFor(`the response to ${request.serviceReferenceVariant}`, () =>
      this.received.get(request.requestId),
    );
  }
}
