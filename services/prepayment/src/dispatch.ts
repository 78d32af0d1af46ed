import { DccError, GrpcStatus, type GrpcStatusCode } from '@dcc/domain';
import { ServiceRequestsServiceClient, UserRole, type ServiceRequest } from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import type { SupplierCredentials } from './supplier-credentials.js';

const SUBMIT_DEADLINE_MS = 10_000;

/** What access control answered a 2.2, or undefined when it could not be reached (send again later). */
export interface DispatchOutcome {
  /** OK (the 2.2 is stored on its way to the meter: I99), or the refusal's gRPC status. */
  status: GrpcStatusCode;
  code: string;
  detail: string;
}

/**
 * Sends SRV 2.2 Top Up Device through the hub's normal request path: access control's
 * dcc.v1.ServiceRequestsService/Submit, as the supplier (its client certificate when the hub runs mutual TLS),
 * so the request gets every check a supplier's own would (role, registration, counters, anomaly detection).
 * 2.2 is not a critical command: no pre-command signature.
 */
export class Dispatcher {
  private readonly clients = new Map<string, ServiceRequestsServiceClient>();

  constructor(
    private readonly address: string,
    private readonly ca: Buffer | undefined,
    private readonly suppliers: ReadonlyMap<string, SupplierCredentials>,
  ) {}

  async send(request: {
    requestId: string;
    supplierId: string;
    electricity: boolean;
    utrn: string;
  }): Promise<DispatchOutcome | undefined> {
    const srv: ServiceRequest = {
      requestId: request.requestId,
      commandVariant: 1,
      serviceReferenceVariant: '2.2',
      userRole: request.electricity ? UserRole.USER_ROLE_IMPORT_SUPPLIER : UserRole.USER_ROLE_GAS_SUPPLIER,
      body: { $case: 'topUpDevice', value: { utrn: request.utrn } },
    };
    try {
      const ack = await new Promise<{ responseCode: string; detail: string }>((resolve, reject) =>
        this.client(request.supplierId).submit(
          { request: srv },
          new Metadata(),
          { deadline: Date.now() + SUBMIT_DEADLINE_MS },
          (error: ServiceError | null, reply) =>
            error ? reject(fromServiceError(error)) : resolve(reply!.acknowledgement!),
        ),
      );
      return { status: GrpcStatus.OK, code: ack.responseCode, detail: ack.detail };
    } catch (error) {
      const e = DccError.from(error);
      // A refusal is the outcome, as access control answered it. ALREADY_EXISTS (the RequestID counter is not
      // above the last accepted) is one too: it is what a 2.2 sent just before a crash meets when sent again, but
      // also a later request of the supplier's own overtaking this one, and the two cannot be told apart here.
      if (e.status === GrpcStatus.UNAVAILABLE || e.status === GrpcStatus.DEADLINE_EXCEEDED) return undefined;
      return { status: e.status, code: e.responseCode ?? `gRPC status ${e.status}`, detail: e.message };
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }

  private client(supplierId: string): ServiceRequestsServiceClient {
    let client = this.clients.get(supplierId);
    if (!client) {
      const tls = this.suppliers.get(supplierId)?.tls;
      const channel =
        this.ca && tls
          ? credentials.createSsl(this.ca, tls.privateKey, tls.certificate)
          : credentials.createInsecure();
      this.clients.set(supplierId, (client = new ServiceRequestsServiceClient(this.address, channel)));
    }
    return client;
  }
}
