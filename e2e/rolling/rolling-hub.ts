import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVELOPMENT_USERS } from '@dcc/access-control';
import { freePort, startNatsServer, type NatsServer } from '@dcc/testkit';
import type { ChannelCredentials } from '@grpc/grpc-js';
import { ServiceUnderTest, type ServiceDir } from '../faults/process-hub.js';
import { estateLines, loadEstateFeed, PrepaymentCredentials } from '../src/index.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';

/** Every stateful service the hub runs twice here. */
export const STATEFUL: readonly ServiceDir[] = [
  'registration',
  'access-control',
  'smets2-adapter',
  'smets1-adapter',
  'scheduling',
  'prepayment',
];

export const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
export const PAYMENT_CHANNEL = '90-B3-D5-1F-30-0C-00-00';

export interface RollingHub {
  nats: NatsServer;
  /** Every instance by its name, `<service>-<instance id>` (e.g. `smets2-adapter-a`). */
  instances: Map<string, ServiceUnderTest>;
  /** The access-control instances' gRPC addresses, for a client balancing over them. */
  accessControl(): string[];
  /** The payment channel's client credentials for the prepayment instances (mutual TLS). */
  paymentChannel: ChannelCredentials;
  /** Starts one more instance of `dir` with this instance id (scale-out). */
  add(dir: ServiceDir, instanceId: string): Promise<ServiceUnderTest>;
  stop(): Promise<void>;
}

/**
 * The hub as separate OS processes on one real nats-server, every stateful service twice (instance ids `a` and
 * `b`), each instance on its own port, instance id and data directory, all three kept across its restarts (as
 * a StatefulSet keeps a pod's name and volume). Registration checks are on: the mixed estate (SMETS1 and SMETS2)
 * is loaded through registration `a` before the others start, so every registration instance replays it.
 */
export async function startRollingHub(options: {
  points: number;
  partitions: number;
  leaseTtlMs: number;
}): Promise<RollingHub> {
  const nats = await startNatsServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'dcc-rolling-'));
  const keyDir = mkdtempSync(join(tmpdir(), 'dcc-rolling-keys-'));
  // The DCO's key pair is one for every smets1-adapter instance, as a deployment shares it.
  const dco = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(keyDir, 'dco.key'), dco.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(join(keyDir, 'dco.pub'), dco.publicKey.export({ type: 'spki', format: 'pem' }));
  const prepayment = new PrepaymentCredentials();
  const topUpKey = prepayment.topUpKeyPair(SUPPLIER).privateKey;
  writeFileSync(join(keyDir, `${SUPPLIER}.topup.key`), topUpKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  const tls = await registrationTls([PAYMENT_CHANNEL]);
  const common: Record<string, string> = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    USERS: prepayment.registerTopUpKeys(JSON.stringify(DEVELOPMENT_USERS)),
    METER_PARTITIONS: String(options.partitions),
    REGISTRY_CAPACITY: String(Math.max(1_000, options.points * 2)),
    DRAIN_TIMEOUT_MS: '5000',
    // Two access-control instances: the anomaly counts shared by both.
    ANOMALY_COUNTERS: 'shared',
  };
  const instances = new Map<string, ServiceUnderTest>();
  const addresses = new Map<string, string>();

  const envOf = (dir: ServiceDir, id: string): Record<string, string> => {
    switch (dir) {
      case 'registration':
        return { ...common, ...tls.env };
      case 'smets2-adapter':
      case 'smets1-adapter':
        return {
          ...common,
          // The adapters log their device executions at each graceful stop (info).
          LOG_LEVEL: 'info',
          INSTANCE_ID: id,
          DATA_DIR: join(dataDir, `${dir}-${id}`),
          LEASE_TTL_MS: String(options.leaseTtlMs),
          DCO_LANE_LEASE_TTL_MS: String(options.leaseTtlMs),
          DCO_KEY_FILE: join(keyDir, 'dco.key'),
          DCO_PUBLIC_KEY_FILE: join(keyDir, 'dco.pub'),
          ...prepayment.deviceEdgeEnv(keyDir),
        };
      case 'scheduling':
        return {
          ...common,
          // The leader lease: a restarted instance takes its own back at once.
          INSTANCE_ID: id,
          SCHEDULING_LEASE_TTL_MS: String(options.leaseTtlMs),
          // Runs start within a second of their time and held requests are released as promptly.
          DUE_BUCKET_MS: '1000',
          SCHEDULER_TICK_MS: '250',
        };
      case 'prepayment':
        return {
          ...common,
          TLS_CERT_FILE: tls.env.TLS_CERT_FILE!,
          TLS_KEY_FILE: tls.env.TLS_KEY_FILE!,
          TLS_CLIENT_CA_FILE: tls.env.TLS_CLIENT_CA_FILE!,
          PREPAYMENT_CHANNEL_IDS: PAYMENT_CHANNEL,
          PREPAYMENT_SUPPLIER_IDS: SUPPLIER,
          PREPAYMENT_SUPPLIER_KEY_DIR: keyDir,
          // Its twin access control keeps serving while this one restarts.
          ACCESS_CONTROL_ADDRESS: addresses.get(`access-control-${id}`) ?? '',
        };
      default:
        return common;
    }
  };
  const credentialsOf = (dir: ServiceDir) =>
    dir === 'registration'
      ? tls.credentials(OPERATOR)
      : dir === 'prepayment'
        ? tls.credentials(PAYMENT_CHANNEL)
        : undefined;

  const add = async (dir: ServiceDir, id: string): Promise<ServiceUnderTest> => {
    const port = await freePort();
    addresses.set(`${dir}-${id}`, `127.0.0.1:${port}`);
    const instance = new ServiceUnderTest(dir, port, () => envOf(dir, id), credentialsOf(dir));
    instances.set(`${dir}-${id}`, instance);
    await instance.start();
    return instance;
  };

  await add('registration', 'a');
  // With each meter's KA public key (as its installer registers it): prepayment's top-ups need it.
  await loadEstateFeed(
    addresses.get('registration-a')!,
    estateLines(options.points, 'mixed').map((line) => prepayment.withKaPublicKey(line)),
    tls.credentials(OPERATOR),
  );
  await add('registration', 'b');
  // Started in pairs, a and b at once: two cores take the start-up of twelve processes.
  for (const dir of STATEFUL.slice(1)) await Promise.all([add(dir, 'a'), add(dir, 'b')]);
  return {
    nats,
    instances,
    accessControl: () =>
      [...instances.keys()].filter((k) => k.startsWith('access-control-')).map((k) => addresses.get(k)!),
    paymentChannel: tls.credentials(PAYMENT_CHANNEL),
    add,
    async stop() {
      for (const instance of [...instances.values()].reverse()) await instance.stop();
      await nats.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}
