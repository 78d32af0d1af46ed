import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessControl, DEVELOPMENT_USERS } from '@dcc/access-control';
import { writeNatsAuthorisation, type NatsAuthorisationFiles } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { gridFeeds } from '@dcc/grid-feeds';
import { createSigningKeyPair, type SigningKeyPair } from '@dcc/pki';
import { createRegistrationService, registration as registrationService } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { smets1Adapter } from '@dcc/smets1-adapter';
import { smets2Adapter } from '@dcc/smets2-adapter';
import { startNatsServer, type NatsServer } from '@dcc/testkit';
import { estateLines, loadEstateFeed } from './estate.js';
import { PrepaymentCredentials } from './prepayment-credentials.js';
import { OPERATOR, registrationTls } from './registration-tls.js';

export interface LocalHub {
  nats: NatsServer;
  accessControl: RunningService;
  adapter: RunningService;
  /** The SMETS1 adapter, when started (`smets1: true`). */
  smets1Adapter: RunningService | undefined;
  /** The registration service the hub started (absent with `registration: false`). */
  registration: RunningService | undefined;
  /** grid-feeds, when started (`gridFeeds: true`). */
  gridFeeds: RunningService | undefined;
  /**
   * The generated NATS authorisation, when the server runs it (`networkOperatorAccounts` or
   * `prepaymentSupplierAccounts`).
   */
  natsAuthorisation: NatsAuthorisationFiles | undefined;
  /** host:port of access-control's gRPC server. */
  address: string;
  env: Record<string, string>;
  /** The CoS party key pair this hub signs 6.23 swaps with (access-control) and its meters trust (adapter). */
  cosParty: SigningKeyPair;
  /** The Users' top-up KA keys (registered in USERS) and the devices' KA provisioning: UTRNs as suppliers make them. */
  prepayment: PrepaymentCredentials;
  stop(): Promise<void>;
}

export interface LocalHubOptions {
  /**
   * Meter points of the estate loaded into registration before the hub answers (estate.ts): 100 by default,
   * `uniform` (meters 00-DB-12-00-00-00-00-00 upwards, the development supplier's) unless `mix` says `mixed`.
   */
  meters?: number;
  mix?: 'uniform' | 'mixed';
  /** The uniform estate's suppliers and distributors in turn (default: the development supplier and operator). */
  parties?: { suppliers?: string[]; distributors?: string[] };
  /**
   * The registration module to start (e.g. one on a test clock), or false when the test starts its own and
   * loads its own feed (no estate is loaded then).
   */
  registration?: ReturnType<typeof createRegistrationService> | false;
  env?: Record<string, string>;
  /** Start the SMETS1 adapter too (answers the mixed estate's SMETS1 devices); off by default. */
  smets1?: boolean;
  /** Start grid-feeds too; off by default. */
  gridFeeds?: boolean;
  /**
   * Run nats-server with the configuration the hub generates (libs/bus nats-authorisation.ts) for these network
   * operators, the services connecting as the hub's user; by default the server has no authorisation.
   */
  networkOperatorAccounts?: Eui64[];
  /** With authorisation on: the prepayment suppliers that get a NATS account of their own (none by default). */
  prepaymentSupplierAccounts?: Eui64[];
  /** The prepayment credentials to run with (a test that makes UTRNs before the hub starts); fresh ones by default. */
  prepayment?: PrepaymentCredentials;
}

/**
 * A whole hub in this process: a real nats-server, registration with a loaded estate (through its gRPC
 * LoadFeed), access-control and a SMETS2 adapter on free ports. Registration checks are always on: the estate
 * is what makes a device addressable.
 */
export async function startLocalHub(options: LocalHubOptions = {}): Promise<LocalHub> {
  const authDir = mkdtempSync(join(tmpdir(), 'dcc-hub-nats-'));
  const natsAuthorisation =
    options.networkOperatorAccounts || options.prepaymentSupplierAccounts
      ? writeNatsAuthorisation(
          authDir,
          options.networkOperatorAccounts ?? [],
          options.prepaymentSupplierAccounts ?? [],
        )
      : undefined;
  const nats = await startNatsServer(
    natsAuthorisation ? { config: readFileSync(natsAuthorisation.configFile, 'utf8') } : {},
  );
  // A CoS party of its own: access control signs 6.23 credential swaps with it, the meters trust it.
  const cosParty = await createSigningKeyPair('cos');
  const keyDir = mkdtempSync(join(tmpdir(), 'dcc-hub-cos-'));
  writeFileSync(join(keyDir, 'cos-party.key'), cosParty.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(keyDir, 'cos-party.pub'), cosParty.publicKeyPem);
  // The DCO's key pair, one for every smets1-adapter instance (as a deployment shares it): a command one instance
  // hands to the instance holding its cohort's DCO lane comes back countersigned with the key its device trusts.
  const dco = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(keyDir, 'dco.key'), dco.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(join(keyDir, 'dco.pub'), dco.publicKey.export({ type: 'spki', format: 'pem' }));
  // Prepayment credentials of its own: every User gets a top-up KA key registered in its directory entry; the
  // simulated meters are provisioned with KA keys and trust the development supplier's top-up key.
  const prepayment = options.prepayment ?? new PrepaymentCredentials();
  const users = prepayment.registerTopUpKeys(options.env?.USERS ?? JSON.stringify(DEVELOPMENT_USERS));
  const env: Record<string, string> = {
    NATS_URL: nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    COS_PARTY_KEY_FILE: join(keyDir, 'cos-party.key'),
    COS_PARTY_PUBLIC_KEY_FILE: join(keyDir, 'cos-party.pub'),
    DCO_KEY_FILE: join(keyDir, 'dco.key'),
    DCO_PUBLIC_KEY_FILE: join(keyDir, 'dco.pub'),
    // The hub runs on plaintext gRPC here: its operations APIs answer without an operator certificate.
    OPERATIONS_API_PLAINTEXT: 'true',
    ...(natsAuthorisation ? { NATS_NKEY_SEED_FILE: natsAuthorisation.hubSeedFile } : {}),
    ...prepayment.deviceEdgeEnv(keyDir),
    ...options.env,
    USERS: users,
  };
  let registration: RunningService | undefined;
  if (options.registration !== false) {
    // Registration's API answers operators and data providers over mutual TLS (its own test PKI, whatever the
    // hub's Users run on): access control talks to it over NATS, and the estate is loaded as the operator.
    const tls = await registrationTls();
    registration = await startService(options.registration ?? registrationService, {
      REGISTRY_CAPACITY: String(Math.max(1_000, (options.meters ?? 100) * 2)),
      ...env,
      ...tls.env,
    });
    await loadEstateFeed(
      `127.0.0.1:${registration.grpcPort}`,
      estateLines(options.meters ?? 100, options.mix, options.parties),
      tls.credentials(OPERATOR),
    );
  }
  const adapter = await startService(smets2Adapter, env);
  const smets1 = options.smets1 ? await startService(smets1Adapter, env) : undefined;
  const gateway = await startService(accessControl, env);
  const grid = options.gridFeeds ? await startService(gridFeeds, env) : undefined;
  return {
    nats,
    accessControl: gateway,
    adapter,
    smets1Adapter: smets1,
    registration,
    gridFeeds: grid,
    natsAuthorisation,
    address: `127.0.0.1:${gateway.grpcPort}`,
    env,
    cosParty,
    prepayment,
    async stop() {
      await grid?.stop();
      await gateway.stop();
      await adapter.stop();
      await smets1?.stop();
      await registration?.stop();
      await nats.stop();
      rmSync(keyDir, { recursive: true, force: true });
      rmSync(authDir, { recursive: true, force: true });
    },
  };
}
