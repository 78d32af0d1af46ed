import { DccError, GrpcStatus } from '@dcc/domain';
import {
  ServiceRequestsServiceClient,
  UserRole,
  type Acknowledgement,
  type ResponsesResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { credentials, type ServiceError } from '@grpc/grpc-js';

/** A User's view of the hub over gRPC, for tests, benchmarks and the demonstration. */
export class HubClient {
  readonly grpc: ServiceRequestsServiceClient;

  /** Plaintext unless `tls` is given: the CA to trust, and the User's certificate and key (mutual TLS). */
  constructor(address: string, tls?: { ca: string; certificate: string; privateKey: string }) {
    const channel = tls
      ? credentials.createSsl(Buffer.from(tls.ca), Buffer.from(tls.privateKey), Buffer.from(tls.certificate))
      : credentials.createInsecure();
    // No channelz service reads the client's per-call accounting either.
    this.grpc = new ServiceRequestsServiceClient(address, channel, { 'grpc.enable_channelz': 0 });
  }

  /** Unary submit: the acknowledgement, or the DccError the hub answered with. */
  submit(request: ServiceRequest): Promise<Acknowledgement> {
    return new Promise((resolve, reject) =>
      this.grpc.submit({ request }, (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!.acknowledgement!),
      ),
    );
  }

  /** Submits a request the hub must refuse: the refusal; an acknowledgement fails the caller. */
  refusal(request: ServiceRequest): Promise<DccError> {
    return this.submit(request).then(
      () => {
        throw new Error(`${request.requestId} was accepted`);
      },
      (error: DccError) => error,
    );
  }

  /** Streams all requests on one SubmitStream call; resolves with their acknowledgements in order. */
  submitStream(requests: Iterable<ServiceRequest>): Promise<Acknowledgement[]> {
    return new Promise((resolve, reject) => {
      const acks: Acknowledgement[] = [];
      const call = this.grpc.submitStream();
      call.on('data', (reply: { acknowledgement?: Acknowledgement }) => acks.push(reply.acknowledgement!));
      call.on('end', () => resolve(acks));
      call.on('error', (error: ServiceError) => reject(fromServiceError(error)));
      void (async () => {
        for (const request of requests) {
          if (!call.write({ request })) await new Promise((r) => call.once('drain', r));
        }
        call.end();
      })();
    });
  }

  /**
   * Opens the User's response stream (`userId` empty: the authenticated User); every response is passed to
   * `onResponse`. With `confirm: 'auto'` (the default) each response is confirmed once `onResponse` has returned
   * (confirmations are batched per tick); with `'manual'` the caller confirms through the subscription, and what
   * it does not confirm is delivered again on a later call.
   */
  responses(
    userId: string,
    onResponse: (response: ServiceResponse, delivery: number) => void,
    options: { window?: number; confirm?: 'auto' | 'manual' } = {},
  ): ResponseSubscription {
    const call = this.grpc.responses();
    let received = 0;
    let confirmed = 0;
    let scheduled = false;
    const confirm = (through: number) => {
      if (through <= confirmed || call.writableEnded) return;
      confirmed = through;
      call.write({ userId: '', window: 0, confirmThrough: through });
    };
    const ended = new Promise<DccError | undefined>((resolve) => {
      call.on('data', (reply: ResponsesResponse) => {
        received = reply.delivery;
        onResponse(reply.response!, reply.delivery);
        if (options.confirm === 'manual' || scheduled) return;
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          confirm(received);
        });
      });
      call.on('error', (error: ServiceError) =>
        resolve(error.code === GrpcStatus.CANCELLED ? undefined : fromServiceError(error)),
      );
      call.on('end', () => resolve(undefined));
    });
    call.write({ userId, window: options.window ?? 0, confirmThrough: 0 });
    return { ended, cancel: () => call.cancel(), confirm, end: () => call.end() };
  }

  close(): void {
    this.grpc.close();
  }
}

export interface ResponseSubscription {
  /** Resolves when the stream ends: with the error the server ended it with, if any. */
  ended: Promise<DccError | undefined>;
  /** Cancels the call (what is unconfirmed is delivered again on a later call). */
  cancel(): void;
  /** Confirms every response numbered up to `through` on this call (for `confirm: 'manual'`). */
  confirm(through: number): void;
  /** Half-closes: no more confirmations; the hub ends the call and keeps what is unconfirmed. */
  end(): void;
}

/** A 4.1.1 Read Instantaneous Import Registers request as an import supplier would send it. */
export function readImportRegisters(
  userId: string,
  deviceId: string,
  counter: number | bigint,
): ServiceRequest {
  return {
    requestId: `${userId}:${deviceId}:${counter}`,
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'readInstantaneousImportRegisters', value: {} },
  };
}
