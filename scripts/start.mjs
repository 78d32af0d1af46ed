#!/usr/bin/env node
// `npm start`: the whole hub on this machine, from a fresh clone. Installs what is missing, builds, starts a
// local nats-server (JetStream) and the services, loads a demonstration estate into registration (its feed,
// through LoadFeedChunks: scripts/load-estate.mjs), sends one demonstration Service Request, prints the answer, and
// runs until Ctrl-C, which drains every service and stops nats-server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { connect } from 'node:net';
import { Processes, onTerminationSignals } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// DCC_RUN_DIR: where the store, logs and PKI live (default .run; tests use their own).
const run = process.env.DCC_RUN_DIR ?? join(root, '.run');
// Where the logs are, as the user should type it: relative to the checkout when it is inside it.
const logsDir = relative(process.cwd(), join(run, 'logs')) || '.';
const env = {
  NATS_PORT: process.env.NATS_PORT ?? '4222',
  // Meter points of the demonstration estate loaded into registration.
  ESTATE_POINTS: process.env.ESTATE_POINTS ?? '10000',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
};
const services = [
  { name: 'registration', port: process.env.REGISTRATION_PORT ?? '50063' },
  { name: 'smets2-adapter', port: process.env.SMETS2_ADAPTER_PORT ?? '50062' },
  { name: 'smets1-adapter', port: process.env.SMETS1_ADAPTER_PORT ?? '50064' },
  // DCC schedules (5.1-5.3) and their runs; before access control, which routes 5.x to it.
  { name: 'scheduling', port: process.env.SCHEDULING_PORT ?? '50066' },
  { name: 'access-control', port: process.env.ACCESS_CONTROL_PORT ?? '50061' },
  { name: 'grid-feeds', port: process.env.GRID_FEEDS_PORT ?? '50065' },
  { name: 'prepayment', port: process.env.PREPAYMENT_PORT ?? '50067' },
  // The hub's own reports (monthly performance, service accounting), for the operator.
  { name: 'reporting', port: process.env.REPORTING_PORT ?? '50068' },
];

function step(what, command, args) {
  console.log(`• ${what}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✗ ${what} failed (exit ${result.status})`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules'))) step('installing npm dependencies (npm ci)', 'npm', ['ci']);
step('installing nats-server if missing', 'bash', ['scripts/install-tools.sh', 'nats-server']);
step('building (tsc -b)', 'npx', ['tsc', '-b', 'tsconfig.build.json']);

const { natsServerBinary, healthCheck, serviceNodeOptions, waitFor } =
  await import('../libs/testkit/dist/index.js');
const { ServiceRequestsServiceClient, UserRole } = await import('../libs/proto/dist/index.js');
const {
  createDevPki,
  createDeviceKaSecret,
  createKaKeyPair,
  createSigningKeyPair,
  DEVELOPMENT_OPERATOR_ID,
  DEVELOPMENT_PAYMENT_CHANNEL_ID,
  DEVELOPMENT_REGISTRATION_PROVIDER_ID,
  readPkiDir,
  writeDcoKey,
  writeDeviceKaSecret,
  writePkiDir,
  writeSigningKey,
  writeTopUpKey,
} = await import('../libs/pki/dist/index.js');
const { DEVELOPMENT_USERS } = await import('../services/access-control/dist/index.js');
const { credentials } = await import('@grpc/grpc-js');

// Mutual TLS with a development CA: one client certificate per development User (CN = User ID).
// The hub operator (the DCC's own EUI-64 in DCC Boxed) may call dcc.v1.UserAdminService and every
// dcc.v1.RegistrationService RPC; the registration data provider sends registration data (feeds, switches).
// The CoS party key pair (.run/pki/cos-party.key / .pub): access control signs 6.23 swaps, meters trust it.
const OPERATOR_ID = DEVELOPMENT_OPERATOR_ID;
const PROVIDER_ID = DEVELOPMENT_REGISTRATION_PROVIDER_ID;
// The payment channel may call dcc.v1.PrepaymentService (top-ups for prepayment customers).
const CHANNEL_ID = DEVELOPMENT_PAYMENT_CHANNEL_ID;
const pkiDir = join(run, 'pki');
let pki = readPkiDir(pkiDir);
if (!pki || ![OPERATOR_ID, PROVIDER_ID, CHANNEL_ID].every((id) => existsSync(pki.userCertificate(id)))) {
  console.log(
    '• creating a development CA, operator, registration data provider and User certificates in .run/pki',
  );
  rmSync(pkiDir, { recursive: true, force: true });
  pki = writePkiDir(
    pkiDir,
    await createDevPki([OPERATOR_ID, PROVIDER_ID, CHANNEL_ID, ...DEVELOPMENT_USERS.map((u) => u.id)]),
  );
  // USERS seeds the durable User directory only once: a new PKI (new signing keys) starts a fresh hub state.
  rmSync(join(run, 'jetstream'), { recursive: true, force: true });
  rmSync(join(run, 'smets2-adapter'), { recursive: true, force: true });
  rmSync(join(run, 'smets1-adapter'), { recursive: true, force: true });
}
// The DCO key pair (.run/pki/dco.key / .pub): the smets1-adapter's DCO countersigns, its device path verifies.
if (!existsSync(pki.dcoKey)) writeDcoKey(pki, await createSigningKeyPair('dco'));
// Critical commands: each development User signs pre-commands with .run/pki/users/<id>.signing.key (ECDSA P-256,
// key id "1"); access-control and the adapter get the public keys through USERS (signingKeys).
for (const u of DEVELOPMENT_USERS) {
  if (!existsSync(pki.userSigningKey(u.id))) writeSigningKey(pki, u.id, await createSigningKeyPair('1'));
}
// Prepayment: each development User's top-up KA key pair (.run/pki/users/<id>.topup.key / .pub; USERS registers
// the public key, 6.23 installs it on meters), and the simulated devices' KA provisioning secret
// (.run/pki/device-ka.secret; the adapters' device edge only). Made once, kept with the PKI.
for (const u of DEVELOPMENT_USERS) {
  if (!existsSync(pki.userTopUpKey(u.id))) writeTopUpKey(pki, u.id, createKaKeyPair());
}
if (!existsSync(pki.deviceKaSecret)) writeDeviceKaSecret(pki, createDeviceKaSecret());
const usersJson = JSON.stringify(
  DEVELOPMENT_USERS.map((u) => ({
    id: u.id,
    roles: u.roles,
    signingKeys: [{ keyId: '1', publicKeyPem: readFileSync(pki.userSigningPublicKey(u.id), 'utf8') }],
    topUpKeyPem: readFileSync(pki.userTopUpPublicKey(u.id), 'utf8'),
  })),
);

mkdirSync(join(run, 'logs'), { recursive: true });
const processes = new Processes();
function launch(name, command, args, extraEnv) {
  return processes.launch(name, command, args, {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    logFile: join(run, 'logs', `${name}.log`),
    onExit: (how) => {
      console.error(`✗ ${name} exited (${how}); see ${logsDir}/${name}.log`);
      void stop(1);
    },
  });
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n• draining services, then nats-server');
  await processes.stopAll((name) => console.log(`  ${name} stopped`));
  process.exit(code);
}
onTerminationSignals(stop);
// A failure of this script must not leave the services and nats-server running behind it.
process.on('uncaughtException', (error) => {
  console.error(`✗ ${error.message}`);
  void stop(1);
});
process.on('unhandledRejection', (error) => {
  console.error(`✗ ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});

const natsUrl = `nats://127.0.0.1:${env.NATS_PORT}`;
// nats-server enforces who may publish and subscribe to what (scripts/nats-authorisation.mjs).
const { prepareNatsAuthorisation } = await import('./nats-authorisation.mjs');
// The suppliers whose UTRNs the prepayment service issues: the development supplier. Each gets its NATS account.
const prepaymentSupplierIds = [DEVELOPMENT_USERS[0].id];
const natsAuth = await prepareNatsAuthorisation(run, DEVELOPMENT_USERS, prepaymentSupplierIds);
console.log(`• starting nats-server with JetStream on ${natsUrl} (store: .run/jetstream, users: .run/nats)`);
launch(
  'nats-server',
  natsServerBinary(),
  ['-c', natsAuth.configFile, '-a', '127.0.0.1', '-p', env.NATS_PORT, '-js', '-sd', join(run, 'jetstream')],
  {},
);

const common = {
  NATS_URL: natsUrl,
  NATS_NKEY_SEED_FILE: natsAuth.hubSeedFile,
  LOG_LEVEL: env.LOG_LEVEL,
  GRPC_HOST: '127.0.0.1',
  TLS_CERT_FILE: pki.serverCertificate,
  TLS_KEY_FILE: pki.serverKey,
  TLS_CLIENT_CA_FILE: pki.caCertificate,
  USERS: usersJson,
  ADMIN_IDS: OPERATOR_ID,
  REGISTRATION_ADMIN_IDS: OPERATOR_ID,
  // smets2-adapter's operations API and the reports answer the development operator.
  OPERATOR_IDS: OPERATOR_ID,
  REGISTRATION_PROVIDER_IDS: PROVIDER_ID,
  COS_PARTY_KEY_FILE: pki.cosPartyKey,
  COS_PARTY_PUBLIC_KEY_FILE: pki.cosPartyPublicKey,
  // The adapters' device edge: the meters' KA provisioning and the installed (development) supplier's top-up key.
  DEVICE_KA_SECRET_FILE: pki.deviceKaSecret,
  DEFAULT_SUPPLIER_TOP_UP_KEY_FILE: pki.userTopUpPublicKey(DEVELOPMENT_USERS[0].id),
  // registration: room for the estate (and points added later through the API).
  REGISTRY_CAPACITY: String(Math.max(1_000_000, 2 * Number(env.ESTATE_POINTS))),
  // smets2-adapter: a stable instance id and its LMDB working set next to the JetStream store.
  INSTANCE_ID: 'local-1',
  DATA_DIR: join(run, 'smets2-adapter'),
};
// What a service needs beyond the common settings.
const serviceEnv = {
  // smets1-adapter: its own LMDB working set, and the DCO key pair.
  'smets1-adapter': {
    DATA_DIR: join(run, 'smets1-adapter'),
    DCO_KEY_FILE: pki.dcoKey,
    DCO_PUBLIC_KEY_FILE: pki.dcoPublicKey,
  },
  // grid-feeds: each network operator's feed stream and durable consumers exist before its first event.
  'grid-feeds': { GRID_NETWORK_OPERATORS: natsAuth.networkOperatorIds.join(',') },
  // prepayment: the development payment channel calls it; it issues the development supplier's UTRNs (its
  // top-up key and client certificate in .run/pki/users) and sends them to access control as that supplier.
  prepayment: {
    PREPAYMENT_CHANNEL_IDS: CHANNEL_ID,
    PREPAYMENT_SUPPLIER_IDS: prepaymentSupplierIds.join(','),
    PREPAYMENT_SUPPLIER_KEY_DIR: join(pkiDir, 'users'),
    ACCESS_CONTROL_ADDRESS: `localhost:${process.env.ACCESS_CONTROL_PORT ?? '50061'}`,
    ACCESS_CONTROL_CA_FILE: pki.caCertificate,
  },
};
const userCredentials = (userId) =>
  credentials.createSsl(
    readFileSync(pki.caCertificate),
    readFileSync(pki.userKey(userId)),
    readFileSync(pki.userCertificate(userId)),
  );
await waitFor(
  'nats-server to accept connections',
  () =>
    new Promise((resolve) => {
      const socket = connect(Number(env.NATS_PORT), '127.0.0.1', () => resolve(true));
      socket.on('error', () => resolve(false));
      socket.on('connect', () => socket.end());
    }),
  15_000,
  100,
);
const metricsPort = (s) => String(Number(s.port) + 1000);
// Each prepayment supplier's own system, simulated (scripts/simulated-supplier.mjs): it answers the
// prepayment service's approval requests over NATS as the supplier's own NATS user, as a real supplier's would.
for (const id of prepaymentSupplierIds) {
  launch(`simulated-supplier-${id}`, process.execPath, ['scripts/simulated-supplier.mjs'], {
    NATS_URL: natsUrl,
    NATS_NKEY_SEED_FILE: natsAuth.prepaymentSupplierSeedFiles.get(id),
    SUPPLIER_ID: id,
  });
}
for (const s of services) {
  // The V8 flags every service runs with (package.json config.serviceNodeOptions; why: docs/performance.md).
  launch(s.name, process.execPath, [...serviceNodeOptions(root), `services/${s.name}/dist/main.js`], {
    ...common,
    ...serviceEnv[s.name],
    GRPC_PORT: s.port,
    // Prometheus metrics at http://localhost:<gRPC port + 1000>/metrics (docs/operations.md, Metrics).
    METRICS_PORT: metricsPort(s),
  });
  await waitFor(
    `${s.name} to serve`,
    () =>
      healthCheck(`localhost:${s.port}`, '', userCredentials(DEVELOPMENT_USERS[0].id)).then(
        (st) => st === 'SERVING',
        () => false,
      ),
    30_000,
    200,
  );
  console.log(
    `  ${s.name} serving on localhost:${s.port} (metrics: localhost:${metricsPort(s)}/metrics, logs: ${logsDir}/${s.name}.log)`,
  );
}

// The estate: registration learns every meter point, device and appointment from its feed, so access control
// decides E19, E11, E4, E5 and the route of every request from the inventory, as in production.
{
  const { loadEstate } = await import('./load-estate.mjs');
  const started = Date.now();
  const report = await loadEstate({
    address: `localhost:${services.find((x) => x.name === 'registration').port}`,
    points: Number(env.ESTATE_POINTS),
    users: { supplier: DEVELOPMENT_USERS[0].id, networkOperator: DEVELOPMENT_USERS[1].id },
    operatorId: OPERATOR_ID,
    pki,
    root,
  });
  console.log(
    `• estate loaded into registration: ${report.lines} meter points (${report.applied} changed, ${report.unchanged} unchanged), ${report.eventsRecorded} events, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

// The demonstration: a supplier reads a meter's registers, as any User would over gRPC.
const address = `localhost:${services.find((x) => x.name === 'access-control').port}`;
const supplier = '90-B3-D5-1F-30-01-00-00';
const device = '00-DB-12-00-00-00-00-2A';
const request = {
  requestId: `${supplier}:${device}:${Date.now()}`,
  commandVariant: 1,
  serviceReferenceVariant: '4.1.1',
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: { $case: 'readInstantaneousImportRegisters', value: {} },
};
const client = new ServiceRequestsServiceClient(address, userCredentials(supplier));
// Responses is bidirectional: open it for the User, then confirm each delivery once it is handled.
const responses = client.responses();
// Every field is given: the generated encoder writes what it is handed.
responses.write({ userId: supplier, window: 0, confirmThrough: 0 });
const answered = new Promise((resolve, reject) => {
  responses.on('data', ({ response, delivery }) => {
    responses.write({ userId: '', window: 0, confirmThrough: delivery });
    if (response.requestId === request.requestId) resolve(response);
  });
  responses.on('error', (error) => reject(new Error(`Responses call failed: ${error.message}`)));
  setTimeout(() => reject(new Error(`no response within 30 s: see ${logsDir}`)), 30_000).unref();
});
console.log(
  `\n→ Submit 4.1.1 Read Instantaneous Import Registers for ESME ${device}\n  RequestID ${request.requestId}`,
);
const ack = await new Promise((resolve, reject) =>
  client.submit({ request }, (error, reply) => (error ? reject(error) : resolve(reply.acknowledgement))),
);
console.log(`← ${ack.responseCode} (acknowledged)`);
const response = await answered;
const r = response.body.value;
console.log(`← ${response.responseCode} ResponseID ${response.responseId}`);
console.log(
  `  total active import ${(r.totalActiveImportWh / 1000).toFixed(3)} kWh; TOU day ${(r.touActiveImportWh[0] / 1000).toFixed(3)} kWh, night ${(r.touActiveImportWh[1] / 1000).toFixed(3)} kWh; meter time ${new Date(r.meterTimeMs).toISOString()}`,
);
responses.end(); // half-close after the confirmation: the hub ends the call
client.close();

const tls = `-cacert .run/pki/ca.pem -cert .run/pki/users/${supplier}.pem -key .run/pki/users/${supplier}.key`;
console.log(`
The hub is running with a demonstration estate of ${env.ESTATE_POINTS} meter points in registration (SMETS2 meters
answered by the simulated devices of the smets2-adapter; SMETS1 meters by the smets1-adapter, through its DCO), mutual
TLS with the development CA in .run/pki (one certificate per development User). Try (grpcurl: npm run tools -- all):
  grpcurl ${tls} ${address} list
  grpcurl ${tls} -d '{"service":""}' ${address} grpc.health.v1.Health/Check
Operator (User admission, suspension): the certificate .run/pki/users/${OPERATOR_ID}.pem may call
  dcc.v1.UserAdminService/ListUsers, AdmitUser, SuspendUser, ReinstateUser on ${address}, and every
  dcc.v1.RegistrationService RPC on localhost:${services.find((x) => x.name === 'registration').port}; the registration
  data provider's .run/pki/users/${PROVIDER_ID}.pem may load feeds and request switches there. User certificates
  are refused there (PERMISSION_DENIED).
Reports (monthly performance within TRT per SRV, service accounting per User and SRV), as the operator:
  npm run report -- --month ${new Date().toISOString().slice(0, 7)} [--accounting] [--user <User id>] [--csv]
Payment channel (prepayment top-ups): the certificate .run/pki/users/${CHANNEL_ID}.pem may call
  dcc.v1.PrepaymentService/TopUp and GetTopUp on localhost:${services.find((x) => x.name === 'prepayment').port}, e.g.
  grpcurl -cacert .run/pki/ca.pem -cert .run/pki/users/${CHANNEL_ID}.pem -key .run/pki/users/${CHANNEL_ID}.key \\
    -d '{"customer_id":"ACC-1:<an MPAN of the estate>","amount_pence":1000,"idempotency_key":"pay-1"}' \\
    localhost:${services.find((x) => x.name === 'prepayment').port} dcc.v1.PrepaymentService/TopUp
NATS requires credentials; each network operator, in a NATS account of its own, may read only its own grid feeds
(grid.<its id>.>, docs/grid-feeds.md), live or through its durable consumers, e.g. (nats CLI: npm run tools -- all):
${natsAuth.describe(natsUrl, root).join('\n')}
Make the simulated meters of a feeder lose supply (and RESTORE, or VOLTAGE with rms_voltage_v and duration_ms), as the
operator: grpcurl -cacert .run/pki/ca.pem -cert .run/pki/users/${OPERATOR_ID}.pem -key .run/pki/users/${OPERATOR_ID}.key \
  -d '{"feeder":"SS-0000-F1","event":"SIMULATED_GRID_EVENT_OUTAGE"}' localhost:${services.find((x) => x.name === 'smets2-adapter').port} dcc.v1.GridSimulationService/RaiseGridEvent
Ctrl-C stops everything cleanly.`);
