import { ServiceRequest, ServiceRequestsServiceClient, type Acknowledgement } from '@dcc/proto';
import type { ChannelCredentials, ServiceError } from '@grpc/grpc-js';
import type { WireRequest } from '../model/index.ts';

export type SubmitOutcome =
  { ok: true; ack: Acknowledgement } | { ok: false; code: number; responseCode: string; message: string };

/** Unary Submit as one User over its own mTLS channel; the model's protojson request decoded by ts-proto. */
export class UserChannel {
  private readonly client: ServiceRequestsServiceClient;

  constructor(address: string, channel: ChannelCredentials) {
    this.client = new ServiceRequestsServiceClient(address, channel);
  }

  submit(request: WireRequest): Promise<SubmitOutcome> {
    return new Promise((resolve) =>
      this.client.submit(
        { request: ServiceRequest.fromJSON(request) },
        (error: ServiceError | null, reply) => {
          if (!error) return resolve({ ok: true, ack: reply!.acknowledgement! });
          const responseCode = error.metadata?.get('dcc-response-code')[0];
          resolve({
            ok: false,
            code: error.code,
            responseCode: String(responseCode ?? ''),
            message: error.details,
          });
        },
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}
