// The authorisation rules over one hub that runs them all together: mutual-TLS gRPC (each User its own
// certificate), registration checks against the real registration service, Users with signing keys, and a low
// anomaly threshold. Suspended Users (E3) and wrong certificates are in user-admin.spec.ts and mtls.spec.ts.
// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevPki, createSigningKeyPair, writePkiDir, type DevPki } from '@dcc/pki';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  QuarantineServiceClient,
  UserRole,
  type Acknowledgement,
  type GetSwitchResponse,
  type RegistrationServiceClient,
  type RequestSwitchResponse,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { createRegistrationService, ManualClock, type RegistrationHandle } from '@dcc/registration';
import { fromServiceError, startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { credentials, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';
import { call, loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the supplier simulated meters trust by default (key "1")
const NEW_SUPPLIER = '90-B3-D5-1F-30-05-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const OTHER_DNO = '90-B3-D5-1F-30-0B-00-00'; // holds M2's network appointment; not a hub User
const USER_IDS = [SUPPLIER, NEW_SUPPLIER, DNO];
const IS = UserRole.USER_ROLE_IMPORT_SUPPLIER;
const ED = UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR;

const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const [M1, M2, M4] = [meter(1), meter(2), meter(4)];
const P4 = mpan('100000000104');
const row = (n: number, networkOperator = DNO) =>
  JSON.stringify({
    mpxn: mpan(`10000000010${n}`),
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: meter(n), status: 'Commissioned' },
    supplier: { party: SUPPLIER, from: '2024-01-01' },
    networkOperator: { party: networkOperator, from: '2020-01-01' },
  });
// M4 changes supplier in registration (6.23 and the meter's own refusal: change-of-supplier-credentials.spec.ts).
const FEED = ['# access-control over mTLS', row(1), row(2, OTHER_DNO), row(4), row(6)];

// Low per-User threshold for 11.2 only; an hour's window so timing cannot slide a count out mid-test.
const THRESHOLDS = { windowSeconds: 3_600, perUser: { '*': 1_000_000, '11.2': 2 }, systemWide: {} };

// Registration's clock starts a month ago; whatever it completes on its clock is in force at real "now".
const clock = new ManualClock(Math.floor((Date.now() - 30 * 86_400_000) / 1000) * 1000);

let pki: DevPki;
let dir: string;
let hub: LocalHub;
let registration: RunningService;
let registrationHandle: RegistrationHandle | undefined;
let regClient: RegistrationServiceClient;
const clients: Record<string, HubClient> = {};
let quarantine: QuarantineServiceClient;
let counter = 10_000;
/** Every response and notice per RequestID, in arrival order. */
const received = new Map<string, ServiceResponse[]>();
const last = (requestId: string) => received.get(requestId)?.at(-1);
const i0s = (requestId: string) =>
  (received.get(requestId) ?? []).filter((r) => r.responseCode === 'I0').length;

const tlsFor = (userId: string) => ({
  ca: pki.ca.certificate,
  certificate: pki.users[userId]!.certificate,
  privateKey: pki.users[userId]!.privateKey,
});

beforeAll(async () => {
  pki = await createDevPki(USER_IDS);
  dir = mkdtempSync(join(tmpdir(), 'dcc-ac-mtls-'));
  const files = writePkiDir(dir, pki);
  const signingKey = (id: string) => {
    const { keyId, publicKeyPem } = pki.signingKeys[id]!;
    return [{ keyId, publicKeyPem }];
  };
  const USERS = [
    { id: SUPPLIER, roles: ['IS', 'GS', 'ES'], signingKeys: signingKey(SUPPLIER) },
    { id: NEW_SUPPLIER, roles: ['IS'], signingKeys: signingKey(NEW_SUPPLIER) },
    { id: DNO, roles: ['ED', 'GT'] },
  ];
  hub = await startLocalHub({
    registration: false, // this test starts its own, on a test clock, with its own feed
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
      USERS: JSON.stringify(USERS),
      ANOMALY_THRESHOLDS: JSON.stringify(THRESHOLDS),
    },
  });
  registration = await startService(
    createRegistrationService({ clock, onStarted: (handle) => (registrationHandle = handle) }),
    {
      NATS_URL: hub.nats.url,
      GRPC_PORT: '0',
      LOG_LEVEL: 'error',
      REGISTRY_CAPACITY: '1000',
      ...(await registrationTls()).env,
    },
  );
  regClient = await registrationClient(registration.grpcPort);
  expect((await loadFeed(regClient, FEED, { feedId: 'ac-mtls' })).report).toMatchObject({
    applied: FEED.length - 1,
    rejected: 0,
  });
  const address = `localhost:${hub.accessControl.grpcPort}`;
  for (const id of USER_IDS) {
    clients[id] = new HubClient(address, tlsFor(id));
    clients[id].responses(id, (r) => received.set(r.requestId, [...(received.get(r.requestId) ?? []), r]));
  }
  const tls = tlsFor(SUPPLIER);
  quarantine = new QuarantineServiceClient(
    address,
    credentials.createSsl(Buffer.from(tls.ca), Buffer.from(tls.privateKey), Buffer.from(tls.certificate)),
  );
});

afterAll(async () => {
  for (const client of Object.values(clients)) client.close();
  quarantine?.close();
  regClient?.close();
  await registration?.stop();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const submit = (request: ServiceRequest) => clients[request.requestId.slice(0, 23)]!.submit(request);

const read = (user: string, device: string, role = IS): ServiceRequest => ({
  ...readImportRegisters(user, device, counter++),
  userRole: role,
});

const critical = (user: string, device: string, srv: string, commandVariant: number): ServiceRequest => ({
  requestId: `${user}:${device}:${counter++}`,
  commandVariant,
  serviceReferenceVariant: srv,
  userRole: IS,
  body: undefined,
});

/** CV 4 → pre-command → signed (ECDSA P-256, SHA-256, DER) CV 5 request, not yet submitted. */
async function signedCv5(user: string, device: string, srv: string, privateKeyPem?: string) {
  const cv4 = critical(user, device, srv, 4);
  const ack = await submit(cv4);
  expect(ack.responseCode).toBe('I0');
  const preCommand = ack.preCommand!;
  const key = createPrivateKey(privateKeyPem ?? pki.signingKeys[user]!.privateKeyPem);
  return {
    ...cv4,
    commandVariant: 5,
    signedPreCommand: {
      preCommand,
      signature: sign('sha256', preCommand, { key, dsaEncoding: 'der' }),
      keyId: '1',
    },
  } satisfies ServiceRequest;
}

/** The DccError a submission is refused with (fails the test if it is accepted). */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: unknown) => error as DccError,
  );

const release = (requestId: string) =>
  new Promise<Acknowledgement>((resolve, reject) =>
    quarantine.release({ requestId }, (error: ServiceError | null, reply) =>
      error ? reject(fromServiceError(error)) : resolve(reply!.acknowledgement!),
    ),
  );

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('access control over mutual TLS, with registration, signing keys and anomaly thresholds', () => {
  it('the registered supplier, over its own certificate: I99, then the I0', async () => {
    const request = read(SUPPLIER, M1);
    expect((await submit(request)).responseCode).toBe('I99');
    expect((await waitFor('the I0', () => last(request.requestId))).responseCode).toBe('I0');
  });

  it('change of supplier in registration: the old supplier gets E4, even for a validly signed CV 5', async () => {
    // signed while SUPPLIER still holds M4; submitted after the switch has completed
    const cv5 = await signedCv5(SUPPLIER, M4, '7.2');
    const requested = await call<unknown, RequestSwitchResponse>(regClient, 'requestSwitch', {
      mpxn: P4,
      gainingSupplierId: NEW_SUPPLIER,
      effectiveMs: 0,
    });
    clock.set(Math.max(requested.switch!.objectionDeadlineMs, requested.switch!.effectiveMs));
    await registrationHandle!.tick();
    const done = await call<unknown, GetSwitchResponse>(regClient, 'getSwitch', {
      switchId: requested.switch!.switchId,
    });
    expect(done.switch!.state).toBe('completed');

    expect((await refusal(submit(read(SUPPLIER, M4)))).responseCode).toBe('E4');
    const error = await refusal(submit(cv5));
    expect(error).toMatchObject({ responseCode: 'E4', status: GrpcStatus.PERMISSION_DENIED });
    await settle();
    expect(received.has(cv5.requestId)).toBe(false);
    const gained = read(NEW_SUPPLIER, M4);
    expect((await submit(gained)).responseCode).toBe('I99');
    expect((await waitFor('the new supplier’s I0', () => last(gained.requestId))).responseCode).toBe('I0');
  });

  it('a network operator (ED) on a meter outside its area: E4; on its own: I99', async () => {
    const error = await refusal(submit(read(DNO, M2, ED)));
    expect(error).toMatchObject({ responseCode: 'E4', status: GrpcStatus.PERMISSION_DENIED });
    expect(error.message).toMatch(new RegExp(`${DNO}.*${M2}`));
    const own = read(DNO, M1, ED);
    expect((await submit(own)).responseCode).toBe('I99');
    expect((await waitFor('the I0', () => last(own.requestId))).responseCode).toBe('I0');
  });

  it('a replayed RequestID counter, and a stale one: ALREADY_EXISTS', async () => {
    const first = read(SUPPLIER, M1);
    const second = read(SUPPLIER, M1);
    expect((await submit(second)).responseCode).toBe('I99');
    const replay = await refusal(submit(second));
    expect(replay.status).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(replay.message).toMatch(/already accepted/);
    expect((await refusal(submit(first))).status).toBe(GrpcStatus.ALREADY_EXISTS);
  });

  it('CV 5 signed with a key that is not the User’s: PERMISSION_DENIED, nothing reaches the meter', async () => {
    const stranger = await createSigningKeyPair();
    const cv5 = await signedCv5(SUPPLIER, meter(6), '7.2', stranger.privateKeyPem);
    const error = await refusal(submit(cv5));
    expect(error.status).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(error.message).toMatch(/signature does not verify/);
    await settle();
    expect(received.has(cv5.requestId)).toBe(false);
  });

  it('over the threshold: quarantined and notified; Release over mTLS executes it exactly once', async () => {
    const firmware = (): ServiceRequest => ({
      requestId: `${SUPPLIER}:${M1}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: '11.2',
      userRole: IS,
      body: { $case: 'readFirmwareVersion', value: {} },
    });
    const burst = [firmware(), firmware(), firmware()];
    const acks = [];
    for (const request of burst) acks.push(await submit(request));
    expect(acks.map((a) => a.responseCode)).toEqual(['I99', 'I99', 'I99']);
    expect(acks[1]!.detail).toBe('');
    expect(acks[2]!.detail).toMatch(/^quarantined: per-User threshold for SRV 11\.2 exceeded/);
    const held = burst[2]!;
    await waitFor('the quarantine notice', () =>
      received.get(held.requestId)?.find((r) => r.detail.startsWith('quarantined:')),
    );
    await settle();
    expect(i0s(held.requestId)).toBe(0);

    expect(await release(held.requestId)).toMatchObject({ requestId: held.requestId, responseCode: 'I99' });
    await waitFor('the released request’s I0', () => i0s(held.requestId) === 1);
    await expect(release(held.requestId)).rejects.toMatchObject({ status: GrpcStatus.NOT_FOUND });
    await settle();
    expect(i0s(held.requestId)).toBe(1);
  });
});
