import { freePort, healthCheck, startNatsServer, startServiceProcess, waitFor } from '@dcc/testkit';
import type { NatsServer, ServiceProcess } from '@dcc/testkit';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPERATOR, registrationTls } from '../test/registration-helpers.js';

/** The services the fault suite's hub runs. */
export type ServiceName = 'access-control' | 'smets2-adapter' | 'registration';
/** Every service directory a ServiceUnderTest can run (the rolling-restart hub runs them all). */
export type ServiceDir = ServiceName | 'smets1-adapter' | 'scheduling' | 'prepayment';

/** One service as its own OS process, on a port that stays the same across restarts. */
export class ServiceUnderTest {
  private current: ServiceProcess | undefined;
  private log = '';

  constructor(
    readonly name: ServiceDir,
    readonly port: number,
    private readonly env: () => Record<string, string>,
    /** Client credentials for its health check, where the service requires mutual TLS. */
    private readonly credentials?: ChannelCredentials,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.current!.child.pid!;
  }

  async start(): Promise<void> {
    this.current = startServiceProcess(`services/${this.name}/src/main.ts`, {
      ...this.env(),
      GRPC_PORT: String(this.port),
    });
    await waitFor(
      `${this.name} to serve`,
      async () =>
        (await healthCheck(this.address, '', this.credentials).catch(() => undefined)) === 'SERVING',
      60_000,
      200,
    );
  }

  /** kill -9: a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** An orderly stop (SIGTERM: drain); resolves with the exit code (0: drained), undefined when not running. */
  stop(): Promise<number | null | undefined> {
    return this.signal('SIGTERM');
  }

  /** Freezes the process (SIGSTOP): to NATS it is a partitioned client; `resume` sends SIGCONT. */
  pause(): void {
    this.current!.child.kill('SIGSTOP');
  }

  resume(): void {
    this.current!.child.kill('SIGCONT');
  }

  /** Everything every incarnation of the service wrote. */
  output(): string {
    return this.log + (this.current?.output() ?? '');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null | undefined> {
    const running = this.current;
    if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return undefined;
    running.child.kill(signal);
    const code = await running.exited;
    this.log += running.output();
    this.current = undefined;
    return code;
  }
}

export interface ProcessHub {
  nats: NatsServer;
  services: Record<ServiceName, ServiceUnderTest>;
  /** access-control's gRPC address. */
  address: string;
  stop(): Promise<void>;
}

/**
 * The hub as separate processes on one real nats-server: registration, a SMETS2 adapter and access control,
 * with registration checks on. nats-server finds a stopped client stale after ~3 s (ping every second, two
 * missed), so a SIGSTOP longer than that is a network partition between that service and NATS.
 */
export async function startProcessHub(options: { fleetSize: number }): Promise<ProcessHub> {
  const nats = await startNatsServer({ config: 'ping_interval: "1s"\nping_max: 2\n' });
  const dataDir = mkdtempSync(join(tmpdir(), 'dcc-faults-'));
  const common = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    FLEET_SIZE: String(options.fleetSize),
    REGISTRY_CAPACITY: String(Math.max(1_000, options.fleetSize * 2)),
    DRAIN_TIMEOUT_MS: '5000',
  };
  let incarnation = 0;
  // The registration API answers operators and data providers over mutual TLS only.
  const registrationTlsSetup = await registrationTls();
  const services = {
    registration: new ServiceUnderTest(
      'registration',
      await freePort(),
      () => ({ ...common, ...registrationTlsSetup.env }),
      registrationTlsSetup.credentials(OPERATOR),
    ),
    // A new instance id per start: a restarted adapter takes its partitions over as a new owner would.
    'smets2-adapter': new ServiceUnderTest('smets2-adapter', await freePort(), () => ({
      ...common,
      INSTANCE_ID: `faults-${++incarnation}`,
      DATA_DIR: join(dataDir, `adapter-${incarnation}`),
      LEASE_TTL_MS: '3000', // a killed adapter's partitions are taken over within seconds
    })),
    'access-control': new ServiceUnderTest('access-control', await freePort(), () => common),
  };
  for (const service of Object.values(services)) await service.start();
  return {
    nats,
    services,
    address: services['access-control'].address,
    async stop() {
      for (const service of Object.values(services).reverse()) await service.stop();
      await nats.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
