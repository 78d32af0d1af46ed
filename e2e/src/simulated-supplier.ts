import { Responder, subjects } from '@dcc/bus';
import { parseEui64 } from '@dcc/domain';
import { TopUpApprovalRequest, TopUpApprovalResponse } from '@dcc/proto';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * A supplier's own system as the hub's prepayment service meets it, for tests, benchmarks and the demo: it
 * answers approval requests on `dcc.prepayment.approval.<supplier>` with the checks a supplier makes and the
 * hub cannot (the customer account is valid, the meter is in prepayment mode), from what it was told here.
 * Lives at the edge: nothing in the hub depends on it.
 */
export class SimulatedSupplier {
  /** Every approval request received, in order. */
  readonly asked: TopUpApprovalRequest[] = [];
  private readonly closedAccounts = new Set<string>();
  private readonly creditModeMeters = new Set<string>();
  private responder: Responder<TopUpApprovalRequest, TopUpApprovalResponse> | undefined;

  constructor(
    /** Its connection: with authorisation on, as the supplier's own NATS user (account SUPPLIER_<id>). */
    readonly nc: NatsConnection,
    readonly supplierId: string,
  ) {
    this.listen();
  }

  /** The supplier no longer serves this account (e.g. "ACC-3"): its payments are refused. */
  closeAccount(account: string): void {
    this.closedAccounts.add(account);
  }

  /** The supplier's records say the meter runs in credit mode: no top-ups for it. */
  setCreditMode(deviceId: string): void {
    this.creditModeMeters.add(deviceId);
  }

  /** Stops answering, as a supplier's system that is down: nobody listens, the service's timeout decides. */
  async goSilent(): Promise<void> {
    await this.close();
  }

  /** Answers again. */
  listen(): void {
    this.responder ??= new Responder(this.nc, {
      subject: subjects.prepaymentApproval(parseEui64(this.supplierId)),
      request: TopUpApprovalRequest,
      response: TopUpApprovalResponse,
      handle: (request) => this.decide(request),
    });
  }

  async close(): Promise<void> {
    const responder = this.responder;
    this.responder = undefined;
    await responder?.drain();
  }

  private decide(request: TopUpApprovalRequest): TopUpApprovalResponse {
    this.asked.push(request);
    const account = request.customerId.slice(0, request.customerId.lastIndexOf(':'));
    if (this.closedAccounts.has(account)) {
      return { approved: false, reason: `account ${account} is not a customer of ${this.supplierId}` };
    }
    if (this.creditModeMeters.has(request.deviceId)) {
      return { approved: false, reason: `meter ${request.deviceId} is in credit mode` };
    }
    return { approved: true, reason: '' };
  }
}
