import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SUPPLIER_ID } from '@dcc/meter';
import { createDevPki, writePkiDir, type PkiFiles } from '@dcc/pki';
import {
  freePort,
  healthCheck,
  startNatsServer,
  startServiceProcess,
  waitFor,
  type ServiceProcess,
} from '@dcc/testkit';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { HUB_ID, USERS } from '../model/index.ts';
import { scaledScheduleShards } from './schedule-shards.ts';

/** Roles of the Users that hold the load estate (the hub's development Users). */
const USER_ROLES: Record<string, string[]> = {
  [USERS.supplier]: ['IS', 'GS', 'ES'],
  [USERS.networkOperator]: ['ED', 'GT'],
  [USERS.otherUser]: ['OU', 'MDR'],
};
/** Registration feeds are loaded as the hub operator. */
export const OPERATOR_ID = HUB_ID;

export interface HubStack {
  /** access-control's gRPC address. */
  address: string;
  natsUrl: string;
  /** nats-server's JetStream store directory (its disk use). */
  natsStoreDir: string;
  registrationAddress: string;
  pki: PkiFiles;
  credentialsOf(userId: string): ChannelCredentials;
  /** Services that exited before stop() (a crash fails the run). */
  crashed(): string[];
  /** Each service's OS process id, by service name (for CPU accounting from /proc). */
  pids(): Record<string, number>;
  /**
   * Stops one service (SIGTERM, as a rolling restart does) and starts it again on the same port with `env` added
   * to its settings; resolves once it serves. What it stored is kept: JetStream holds it.
   */
  restart(name: StackService, env: Record<string, string>): Promise<void>;
  /** Kills nats-server and starts it again on the same store (the services reconnect on their own). */
  restartNats(): Promise<void>;
  /** Stops every service (SIGTERM), leaving nats-server and its store as they are. */
  stopServices(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The hub as separate OS processes, as deployed: a real nats-server with JetStream, registration,
 * smets2-adapter (simulated SMETS2 meters at the device edge, `fleetSize` of them) and access-control, all over
 * mutual TLS with a fresh development CA in `workDir`. Registration checks are on: access control authorises
 * every device request from the registration inventory, which loadEstate() fills. Anomaly detection thresholds
 * are off: a load test sends far more than a User's normal share and must not be quarantined.
 */
export type StackService = 'registration' | 'scheduling' | 'smets2-adapter' | 'access-control';
const SERVICES: StackService[] = ['registration', 'scheduling', 'smets2-adapter', 'access-control'];

export async function startHubStack(workDir: string, fleetSize: number): Promise<HubStack> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const pki = writePkiDir(
    join(workDir, 'pki'),
    await createDevPki([OPERATOR_ID, ...Object.keys(USER_ROLES)]),
  );
  const users = Object.entries(USER_ROLES).map(([id, roles]) => ({
    id,
    roles,
    signingKeys: [{ keyId: '1', publicKeyPem: readFileSync(pki.userSigningPublicKey(id), 'utf8') }],
    topUpKeyPem: readFileSync(pki.userTopUpPublicKey(id), 'utf8'),
  }));
  const nats = await startNatsServer();
  const common = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TLS_CERT_FILE: pki.serverCertificate,
    TLS_KEY_FILE: pki.serverKey,
    TLS_CLIENT_CA_FILE: pki.caCertificate,
    USERS: JSON.stringify(users),
    ADMIN_IDS: OPERATOR_ID,
    // The registration API answers operators only: the estate is loaded with the operator's certificate.
    REGISTRATION_ADMIN_IDS: OPERATOR_ID,
    COS_PARTY_KEY_FILE: pki.cosPartyKey,
    COS_PARTY_PUBLIC_KEY_FILE: pki.cosPartyPublicKey,
    // The device edge: the meters' KA provisioning and the top-up key of the supplier they were installed for.
    DEVICE_KA_SECRET_FILE: pki.deviceKaSecret,
    DEFAULT_SUPPLIER_TOP_UP_KEY_FILE: pki.userTopUpPublicKey(DEFAULT_SUPPLIER_ID),
    FLEET_SIZE: String(fleetSize),
    REGISTRY_CAPACITY: String(Math.max(1_000, fleetSize)),
    ANOMALY_THRESHOLDS: JSON.stringify({ perUser: {}, systemWide: {} }),
    // No reporting service in this stack: confirmed responses leave RESPONSES on the Users' confirmations alone
    // (with reporting running, its tally's acknowledgements would gate them too).
    CONFIRMED_RESPONSES_READERS: 'none',
    // Schedules packed as densely as a national estate's (schedule-shards.ts).
    SCHEDULE_SHARDS: String(scaledScheduleShards(fleetSize)),
    INSTANCE_ID: 'loadtest-1',
    DATA_DIR: join(workDir, 'smets2-adapter'),
  };
  const credentialsOf = (userId: string) =>
    credentials.createSsl(
      readFileSync(pki.caCertificate),
      readFileSync(pki.userKey(userId)),
      readFileSync(pki.userCertificate(userId)),
    );
  const processes: { name: string; process: ServiceProcess }[] = [];
  let stopping = false;
  const crashed: string[] = [];
  const ports: Record<string, number> = {};
  const restarting = new Set<string>();
  const start = async (name: StackService, env: Record<string, string> = {}): Promise<void> => {
    const port = ports[name] ?? (await freePort());
    ports[name] = port;
    const process = startServiceProcess(`services/${name}/src/main.ts`, {
      ...common,
      ...env,
      GRPC_PORT: String(port),
    });
    void process.exited.then(() => stopping || restarting.has(name) || crashed.push(name));
    const at = processes.findIndex((p) => p.name === name);
    if (at >= 0) processes[at] = { name, process };
    else processes.push({ name, process });
    await waitFor(
      `${name} to serve`,
      () =>
        healthCheck(`localhost:${port}`, '', credentialsOf(OPERATOR_ID)).then(
          (status) => status === 'SERVING',
          () => false,
        ),
      60_000,
      200,
    );
  };
  try {
    for (const name of SERVICES) await start(name);
  } catch (error) {
    stopping = true;
    const output = processes.map((p) => `--- ${p.name}\n${p.process.output().slice(-2_000)}`).join('\n');
    await stopAll();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  async function stopServices(): Promise<void> {
    for (const { process } of [...processes].reverse()) {
      if (process.child.exitCode === null && process.child.signalCode === null) {
        process.child.kill('SIGTERM');
        await process.exited;
      }
    }
  }
  async function stopAll(): Promise<void> {
    await stopServices();
    await nats.stop();
  }
  return {
    address: `localhost:${ports['access-control']}`,
    natsUrl: nats.url,
    natsStoreDir: nats.storeDir,
    registrationAddress: `localhost:${ports.registration}`,
    pki,
    credentialsOf,
    crashed: () => [...crashed],
    pids: () => Object.fromEntries(processes.map((p) => [p.name, p.process.child.pid!])),
    async restart(name, env) {
      const running = processes.find((p) => p.name === name)!.process;
      restarting.add(name);
      running.child.kill('SIGTERM');
      await running.exited;
      restarting.delete(name);
      await start(name, env);
    },
    restartNats: () => nats.restart(),
    async stopServices() {
      stopping = true;
      await stopServices();
    },
    async stop() {
      stopping = true;
      await stopAll();
    },
  };
}
