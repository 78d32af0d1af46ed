// SRV 6.23 (Update Security Credentials, change of supplier) as DUIS has it, over mutual-TLS gRPC, NATS and the
// real registration service: only the supplier registration names for the point now may send it (else E4); the
// hub's CoS party installs that supplier's own registered key, whatever the body names, and signs the swap; the
// meter installs nothing without the CoS party's signature.
import './telemetry-setup.js';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjects } from '@dcc/bus';
import { GrpcStatus, parseEui64, partitionOf, type DccError } from '@dcc/domain';
import { createDevPki, writePkiDir, type DevPki } from '@dcc/pki';
import {
  MeterCommand,
  UserRole,
  type GetSwitchResponse,
  type RegistrationServiceClient,
  type RequestSwitchResponse,
  type ServiceRequest,
  type ServiceResponse,
  type UpdateSecurityCredentials,
} from '@dcc/proto';
import { createRegistrationService, ManualClock, type RegistrationHandle } from '@dcc/registration';
import { startService, type RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosBody } from '../src/cos-request.js';
import { HubClient, startLocalHub, uniformMeterRoute, type LocalHub } from '../src/index.js';
import { call, loadFeed, mpan, registrationClient, registrationTls } from './registration-helpers.js';

const OLD = '90-B3-D5-1F-30-01-00-00'; // the supplier simulated meters trust out of the box (key "1")
const GAINING = '90-B3-D5-1F-30-05-00-00'; // gains P1 by change of supplier
const THIRD = '90-B3-D5-1F-30-06-00-00'; // a supplier that holds no point here
const USER_IDS = [OLD, GAINING, THIRD];
const IS = UserRole.USER_ROLE_IMPORT_SUPPLIER;
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const [M1, M2, M3] = [meter(11), meter(12), meter(13)];
const P1 = mpan('100000000211');
const row = (mpxn: string, device: string) =>
  JSON.stringify({
    mpxn,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'South',
    device: { id: device, status: 'Commissioned' },
    supplier: { party: OLD, from: '2024-01-01' },
  });
const FEED = [
  '# change of supplier credentials',
  row(P1, M1),
  row(mpan('100000000212'), M2),
  row(mpan('100000000213'), M3),
];

const clock = new ManualClock(Math.floor((Date.now() - 30 * 86_400_000) / 1000) * 1000);

let pki: DevPki;
let dir: string;
let hub: LocalHub;
let registration: RunningService;
let handle: RegistrationHandle | undefined;
let regClient: RegistrationServiceClient;
let nc: NatsConnection;
const clients: Record<string, HubClient> = {};
const received = new Map<string, ServiceResponse>();
let counter = 50_000;

beforeAll(async () => {
  pki = await createDevPki(USER_IDS);
  dir = mkdtempSync(join(tmpdir(), 'dcc-cos-'));
  const files = writePkiDir(dir, pki);
  const USERS = USER_IDS.map((id) => ({
    id,
    roles: ['IS'],
    signingKeys: [{ keyId: '1', publicKeyPem: pki.signingKeys[id]!.publicKeyPem }],
  }));
  hub = await startLocalHub({
    registration: false,
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
      USERS: JSON.stringify(USERS),
    },
  });
  registration = await startService(createRegistrationService({ clock, onStarted: (h) => (handle = h) }), {
    NATS_URL: hub.nats.url,
    GRPC_PORT: '0',
    LOG_LEVEL: 'error',
    REGISTRY_CAPACITY: '1000',
    ...(await registrationTls()).env,
  });
  regClient = await registrationClient(registration.grpcPort);
  expect((await loadFeed(regClient, FEED)).report).toMatchObject({ applied: 3, rejected: 0 });
  // P1 changes supplier to GAINING: requested, the objection window passes, registration completes it.
  const requested = await call<unknown, RequestSwitchResponse>(regClient, 'requestSwitch', {
    mpxn: P1,
    gainingSupplierId: GAINING,
    effectiveMs: 0,
  });
  clock.set(Math.max(requested.switch!.objectionDeadlineMs, requested.switch!.effectiveMs));
  await handle!.tick();
  const done = await call<unknown, GetSwitchResponse>(regClient, 'getSwitch', {
    switchId: requested.switch!.switchId,
  });
  expect(done.switch!.state).toBe('completed');

  const address = `localhost:${hub.accessControl.grpcPort}`;
  for (const id of USER_IDS) {
    clients[id] = new HubClient(address, {
      ca: pki.ca.certificate,
      certificate: pki.users[id]!.certificate,
      privateKey: pki.users[id]!.privateKey,
    });
    clients[id].responses(id, (r) => received.set(r.requestId, r));
  }
  nc = await connect({ servers: hub.nats.url });
});

afterAll(async () => {
  for (const client of Object.values(clients)) client.close();
  regClient?.close();
  await nc?.close();
  await registration?.stop();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const submit = (request: ServiceRequest) => clients[request.requestId.slice(0, 23)]!.submit(request);
const answer = (request: ServiceRequest) =>
  waitFor(`the answer to ${request.requestId}`, () => received.get(request.requestId));
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: unknown) => error as DccError,
  );

const MPXN_OF: Record<string, string> = {
  [M1]: P1,
  [M2]: mpan('100000000212'),
  [M3]: mpan('100000000213'),
};

/** A 6.23 from `user`: its own certificates (cos-request.ts) for the device's point, `value` over the rest. */
const cos = async (
  user: string,
  device: string,
  value: Partial<UpdateSecurityCredentials> = {},
): Promise<ServiceRequest> => ({
  requestId: `${user}:${device}:${counter++}`,
  commandVariant: 1,
  serviceReferenceVariant: '6.23',
  userRole: IS,
  body: await cosBody(
    hub.prepayment,
    { supplierId: user, signingKeyPem: pki.signingKeys[user]!.publicKeyPem, mpxn: MPXN_OF[device]! },
    value,
  ),
});

/** 7.2 through CV 4 → pre-command → the User's signature (key "1") → CV 5: I99, then the meter's answer. */
async function disableSupply(user: string, device: string): Promise<ServiceResponse> {
  const cv4: ServiceRequest = {
    requestId: `${user}:${device}:${counter++}`,
    commandVariant: 4,
    serviceReferenceVariant: '7.2',
    userRole: IS,
    body: undefined,
  };
  const preCommand = (await submit(cv4)).preCommand!;
  const key = createPrivateKey(pki.signingKeys[user]!.privateKeyPem);
  const cv5: ServiceRequest = {
    ...cv4,
    commandVariant: 5,
    signedPreCommand: {
      preCommand,
      signature: sign('sha256', preCommand, { key, dsaEncoding: 'der' }),
      keyId: '1',
    },
  };
  expect((await submit(cv5)).responseCode).toBe('I99');
  return answer(cv5);
}

describe('6.23 change of supplier credentials', () => {
  it('from a supplier that does not hold the point now: E4, nothing reaches the meter', async () => {
    const attempts = await Promise.all([cos(OLD, M1), cos(THIRD, M1), cos(GAINING, M2)]); // lost P1, never held it, holds only P1
    for (const request of attempts) {
      expect(await refusal(submit(request))).toMatchObject({
        responseCode: 'E4',
        status: GrpcStatus.PERMISSION_DENIED,
      });
    }
    await settle();
    expect(attempts.filter((r) => received.has(r.requestId))).toEqual([]);
  });

  it('naming another party’s credentials, or a key it has not registered: refused, the meter keeps its own', async () => {
    const other = await refusal(submit(await cos(GAINING, M1, { supplierId: OLD, signingKeyId: '1' })));
    expect(other.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(other.message).toMatch(/sender’s own credentials/);
    const unknownKey = await refusal(submit(await cos(GAINING, M1, { signingKeyId: 'not-mine' })));
    expect(unknownKey.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    // The certificates of another supplier (OLD's own, correctly made) cannot be installed by the gaining one.
    const theirs = await cos(OLD, M1);
    const foreign = await refusal(submit({ ...(await cos(GAINING, M1)), body: theirs.body }));
    expect(foreign.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(foreign.message).toMatch(new RegExp(`is for ${OLD}, not the sender ${GAINING}`));
    const elsewhere = await refusal(submit(await cos(GAINING, M1, { importMpxn: MPXN_OF[M2] })));
    expect(elsewhere.message).toMatch(/not the point registration holds/);
    const forged = await refusal(submit(await cos(GAINING, M1, { cosSignature: Buffer.from([1, 2, 3]) })));
    expect(forged.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    // Nothing was installed: the meter still trusts OLD, so the gaining supplier's signed command is refused there.
    const refused = await disableSupply(GAINING, M1);
    expect(refused).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(refused.detail).toContain(`the supplier key the device trusts (${OLD} key 1)`);
  });

  it('from the gaining supplier: its own registered key is installed, and then its signed commands run', async () => {
    // The body names no supplier and no key: the CoS party fills in the sender, the registered key its digital
    // signing certificate certifies, and the floors as the meter reads them.
    const request = await cos(GAINING, M1, { topUpFloor: '0007', supplierFloorSeqNumber: '12' });
    expect((await submit(request)).responseCode).toBe('I99');
    expect(await answer(request)).toMatchObject({
      responseCode: 'I0',
      body: {
        $case: 'supplierCredentials',
        value: {
          supplierId: GAINING,
          signingKeyId: '1',
          topUpFloor: '7',
          // A floor below the counter of the 6.23 itself leaves the meter's mark there (never lowered).
          supplierFloorSeqNumber: request.requestId.split(':')[2],
        },
      },
    });
    expect(await disableSupply(GAINING, M1)).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'supplyDisabled' },
    });
  });

  it('after it, the meter credits the gaining supplier’s UTRNs (its registered top-up key), and the old supplier is refused E4', async () => {
    const topUp = (user: string, block: bigint): ServiceRequest => ({
      requestId: `${user}:${M1}:${counter++}`,
      commandVariant: 1,
      serviceReferenceVariant: '2.2',
      userRole: IS,
      body: {
        $case: 'topUpDevice',
        value: {
          utrn: hub.prepayment.utrn({ supplierId: user, deviceId: M1, counter: block << 32n, pence: 450 }),
        },
      },
    });
    const gaining = topUp(GAINING, 1n);
    expect((await submit(gaining)).responseCode).toBe('I99');
    expect(await answer(gaining)).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'topUp', value: { creditedPence: '450' } },
    });
    const refused = await refusal(submit(topUp(OLD, 2n)));
    expect(refused.responseCode).toBe('E4');
  });

  it('a swap that reaches the meter without the CoS party’s signature is refused there', async () => {
    // Straight onto the meter's mail, past access control: as a forged or corrupted delivery would arrive.
    const js = jetstream(nc);
    const deliver = async (value: Partial<UpdateSecurityCredentials>) => {
      const topUpKey = hub.prepayment.topUpKeyPair(THIRD).publicKey.export({ type: 'spki', format: 'der' });
      const request = await cos(THIRD, M3, { supplierId: THIRD, signingKeyId: '1', topUpKey, ...value });
      const command: MeterCommand = {
        request,
        userId: THIRD,
        deviceId: M3,
        acceptedAtMs: Date.now(),
        ...uniformMeterRoute(M3),
      };
      const subject = subjects.meterMail('s2', partitionOf(parseEui64(M3), 256), parseEui64(M3));
      await js.publish(subject, MeterCommand.encode(command).finish(), { msgID: request.requestId });
      return answer(request);
    };
    const unsigned = await deliver({});
    expect(unsigned).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(unsigned.detail).toMatch(/not signed by the CoS party/);
    // Signed, but by THIRD's own key rather than the CoS party's.
    const selfSigned = await deliver({
      cosSignature: sign('sha256', Buffer.from('swap'), {
        key: createPrivateKey(pki.signingKeys[THIRD]!.privateKeyPem),
        dsaEncoding: 'der',
      }),
    });
    expect(selfSigned).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(selfSigned.detail).toMatch(/CoS party signature does not verify/);
    // The meter still trusts OLD, its registered supplier.
    expect(await disableSupply(OLD, M3)).toMatchObject({ responseCode: 'I0' });
  });
});
