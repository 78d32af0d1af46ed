import { parseEui64 } from '@dcc/domain';
import {
  PrepaymentServiceClient,
  TopUpStage,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
  type TopUpRecord,
} from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { freePort, healthCheck, startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import type { ServiceError } from '@grpc/grpc-js';
import { connect, nkeyAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estateLines, loadEstateFeed } from './estate.js';
import { HubClient } from './hub-client.js';
import { startLocalHub, type LocalHub, type LocalHubOptions } from './local-hub.js';
import { registrationTls, type RegistrationTls } from './registration-tls.js';
import { SimulatedSupplier } from './simulated-supplier.js';

const ENTRY = 'services/prepayment/src/main.ts';
/** The development payment channel of these tests, and a certificate that is not a channel. */
export const CHANNEL = '90-B3-D5-1F-30-0A-00-01';
export const STRANGER = '90-B3-D5-1F-30-0A-00-02';

/** Stages after which nothing more happens to a top-up. */
const SETTLED = new Set([
  TopUpStage.TOP_UP_STAGE_CREDITED,
  TopUpStage.TOP_UP_STAGE_REJECTED,
  TopUpStage.TOP_UP_STAGE_REFUSED,
]);

export interface PrepaymentHubOptions {
  meters: number;
  /** The uniform estate's suppliers in turn; the first is the one the service issues for. */
  suppliers: string[];
  /** Suppliers the service issues for (default: the first of `suppliers`). */
  served?: string[];
  hub?: Omit<LocalHubOptions, 'meters' | 'parties'>;
  /**
   * Run nats-server with the hub's generated authorisation: the services connect as the hub's user, each
   * served supplier's simulated system with its own supplier account's credentials.
   */
  natsAuthorisation?: boolean;
}

/**
 * A local hub with the prepayment service as its own OS process, for tests and benchmarks over real NATS and
 * gRPC: the estate's meters with their KA keys registered (as their installer would), the served suppliers'
 * top-up keys in a key directory, a simulated supplier answering each served supplier's approvals, and the
 * suppliers' responses collected by RequestID.
 */
export class PrepaymentHub {
  readonly received = new Map<string, ServiceResponse>();
  readonly suppliers = new Map<string, SimulatedSupplier>();
  service: ServiceProcess | undefined;
  private port = 0;
  private sequence = 0n;

  private constructor(
    readonly hub: LocalHub,
    readonly tls: RegistrationTls,
    readonly client: HubClient,
    readonly nc: NatsConnection,
    readonly keyDir: string,
    readonly points: { mpxn: string; device: { id: string } }[],
    readonly served: string[],
  ) {}

  static async start(options: PrepaymentHubOptions): Promise<PrepaymentHub> {
    const tls = await registrationTls([CHANNEL, STRANGER]);
    const lines = estateLines(options.meters, 'uniform', { suppliers: options.suppliers });
    const served = options.served ?? [options.suppliers[0]!];
    const hub = await startLocalHub({
      meters: options.meters,
      parties: { suppliers: options.suppliers },
      ...options.hub,
      ...(options.natsAuthorisation
        ? { prepaymentSupplierAccounts: served.map((id) => parseEui64(id, 'supplier')) }
        : {}),
    });
    await loadEstateFeed(
      `127.0.0.1:${hub.registration!.grpcPort}`,
      lines.map((line) => hub.prepayment.withKaPublicKey(line)),
      tls.credentials(tls.env.REGISTRATION_ADMIN_IDS!),
    );
    const keyDir = mkdtempSync(join(tmpdir(), 'dcc-prepayment-'));
    for (const id of served) {
      const key = hub.prepayment.topUpKeyPair(id).privateKey.export({ type: 'pkcs8', format: 'pem' });
      writeFileSync(join(keyDir, `${id}.topup.key`), key, { mode: 0o600 });
    }
    const client = new HubClient(hub.address);
    const nc = await connectTo(hub, hub.natsAuthorisation?.hubSeedFile);
    const points = lines.map((l) => JSON.parse(l) as { mpxn: string; device: { id: string } });
    const self = new PrepaymentHub(hub, tls, client, nc, keyDir, points, served);
    for (const id of new Set([...options.suppliers, ...served])) {
      client.responses(id, (r) => self.received.set(r.requestId, r));
    }
    for (const id of served) {
      // Each supplier's system on a connection of its own: its own account's credentials when authorisation is on.
      const seedFile = hub.natsAuthorisation?.prepaymentSupplierSeedFiles.get(parseEui64(id, 'supplier'));
      const own = hub.natsAuthorisation ? await connectTo(hub, seedFile) : nc;
      self.suppliers.set(id, new SimulatedSupplier(own, id));
    }
    self.port = await freePort();
    return self;
  }

  /** `ACC-<i>:<MPxN of point i>`: the channel's customer reference for the estate's point i. */
  customer(i: number): string {
    return `ACC-${i}:${this.points[i]!.mpxn}`;
  }

  device(i: number): string {
    return this.points[i]!.device.id;
  }

  /** Starts (or restarts) the prepayment service process with the test's settings on top. */
  async startService(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const { tls } = this;
    const child = startServiceProcess(ENTRY, {
      NATS_URL: this.hub.nats.url,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: String(this.port),
      LOG_LEVEL: 'warn',
      TLS_CERT_FILE: tls.env.TLS_CERT_FILE!,
      TLS_KEY_FILE: tls.env.TLS_KEY_FILE!,
      TLS_CLIENT_CA_FILE: tls.env.TLS_CLIENT_CA_FILE!,
      PREPAYMENT_CHANNEL_IDS: CHANNEL,
      PREPAYMENT_SUPPLIER_IDS: this.served.join(','),
      PREPAYMENT_SUPPLIER_KEY_DIR: this.keyDir,
      ACCESS_CONTROL_ADDRESS: this.hub.address,
      PREPAYMENT_RETRY_MS: '200',
      ...(this.hub.natsAuthorisation ? { NATS_NKEY_SEED_FILE: this.hub.natsAuthorisation.hubSeedFile } : {}),
      ...env,
    });
    await waitFor(
      'prepayment to serve',
      () => healthCheck(`127.0.0.1:${this.port}`, '', tls.credentials(CHANNEL)).catch(() => undefined),
      30_000,
      200,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${child.output()}`);
    });
    this.service = child;
    return child;
  }

  channelClient(id = CHANNEL): PrepaymentServiceClient {
    return new PrepaymentServiceClient(`127.0.0.1:${this.port}`, this.tls.credentials(id));
  }

  topUp(customerId: string, amountPence: number, idempotencyKey: string, id = CHANNEL): Promise<TopUpRecord> {
    const c = this.channelClient(id);
    return new Promise<TopUpRecord>((resolve, reject) =>
      c.topUp({ customerId, amountPence, idempotencyKey }, (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
      ),
    ).finally(() => c.close());
  }

  getTopUp(idempotencyKey: string): Promise<TopUpRecord> {
    const c = this.channelClient();
    return new Promise<TopUpRecord>((resolve, reject) =>
      c.getTopUp({ idempotencyKey }, (error: ServiceError | null, reply) =>
        error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
      ),
    ).finally(() => c.close());
  }

  /** What the channel reads once the top-up reached `stage` (by default: any settled stage). */
  reported(idempotencyKey: string, stage?: TopUpStage, timeoutMs = 20_000): Promise<TopUpRecord> {
    return waitFor(
      `top-up ${idempotencyKey} to be ${stage === undefined ? 'settled' : TopUpStage[stage]}`,
      async () => {
        const record = await this.getTopUp(idempotencyKey).catch(() => undefined);
        if (!record) return undefined;
        return (stage === undefined ? SETTLED.has(record.stage) : record.stage === stage)
          ? record
          : undefined;
      },
      timeoutMs,
      100,
    );
  }

  /**
   * The meter's balance (4.18) read as `supplier`. RequestID counters are time-based as the service's are
   * (milliseconds × 10^6 + a small number): a read made after a top-up was issued is above its 2.2's counter.
   */
  async balancePence(device: string, supplier = this.served[0]!): Promise<number> {
    const request: ServiceRequest = {
      requestId: `${supplier}:${device}:${BigInt(Date.now()) * 1_000_000n + 999_000n + this.sequence++}`,
      commandVariant: 1,
      serviceReferenceVariant: '4.18',
      userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
      body: { $case: 'readMeterBalance', value: {} },
    };
    const ack = await this.client.submit(request);
    if (ack.responseCode !== 'I99') throw new Error(`4.18 acknowledged ${JSON.stringify(ack)}`);
    const read = await waitFor(`the answer to ${request.requestId}`, () =>
      this.received.get(request.requestId),
    );
    if (read.body?.$case !== 'meterBalance') throw new Error(`4.18 answered ${JSON.stringify(read)}`);
    return Number(read.body.value.meterBalancePence);
  }

  async stop(): Promise<void> {
    this.service?.child.kill('SIGKILL');
    for (const supplier of this.suppliers.values()) {
      await supplier.close();
      if (supplier.nc !== this.nc) await supplier.nc.close();
    }
    this.client.close();
    await this.nc.close();
    await this.hub.stop();
    rmSync(this.keyDir, { recursive: true, force: true });
  }
}

/** A connection to the hub's nats-server, as the user whose nkey seed is in `seedFile` when there is one. */
function connectTo(hub: LocalHub, seedFile: string | undefined): Promise<NatsConnection> {
  return connect({
    servers: hub.nats.url,
    ...(seedFile
      ? { authenticator: nkeyAuthenticator(new TextEncoder().encode(readFileSync(seedFile, 'utf8').trim())) }
      : {}),
  });
}
