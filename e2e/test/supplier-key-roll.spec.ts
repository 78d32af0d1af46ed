// A supplier rolls its signing key on a meter it holds (6.15.1, RemotePartyRole Supplier, GBCS CS02b
// supplierBySupplier), end to end over a real nats-server and real gRPC: access control checks the certificates
// are the sender's own and certify a registered key, the meter installs that key, and from then on the meter
// executes what the new key signs and refuses what the old one signs. Key "2" is registered through the operators'
// admin API while the hub runs, as a User registers a new key with the DCC: the meter verifies with the certificate
// it installed, so nothing needs restarting for the new key to work at the meter.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcStatus, type DccError } from '@dcc/domain';
import { createDevPki, createSupplierCertificates, writePkiDir, type DevPki } from '@dcc/pki';
import {
  PreCommand,
  PreCommandContent,
  SecurityRemotePartyRole,
  SupplyState,
  UpdateSecurityCredentialsKrp,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, userAdminClient, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the supplier simulated meters trust by default (key "1")
const OTHER_SUPPLIER = '90-B3-D5-1F-30-04-00-00';
const OPERATOR = '90-B3-D5-1F-30-00-00-02';
const DEVICE = '00-DB-12-00-00-00-00-04';
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
/** Key "1" the meters trust now; key "2" the supplier registered with the DCC to roll onto its meters. */
const keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = { '1': pair(), '2': pair() };

let pki: DevPki;
let dir: string;
let hub: LocalHub;
let client: HubClient;
const received = new Map<string, ServiceResponse>();
let counter = 7_000;

const tlsFor = (id: string) => ({
  ca: pki.ca.certificate,
  certificate: pki.users[id]!.certificate,
  privateKey: pki.users[id]!.privateKey,
});

beforeAll(async () => {
  pki = await createDevPki([SUPPLIER, OPERATOR]);
  dir = mkdtempSync(join(tmpdir(), 'dcc-key-roll-'));
  const files = writePkiDir(dir, pki);
  // At start the supplier has key "1" only: the adapters' configured keys never hold key "2".
  const signingKeys = [{ keyId: '1', publicKeyPem: pemOf(keys['1']!.publicKey) }];
  hub = await startLocalHub({
    meters: 10,
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
      USERS: JSON.stringify([{ id: SUPPLIER, roles: ['IS', 'GS', 'ES'], signingKeys }]),
      ADMIN_IDS: OPERATOR,
    },
  });
  const address = `localhost:${hub.accessControl.grpcPort}`;
  const operator = userAdminClient(address, tlsFor(OPERATOR));
  const supplier = (await operator.list({})).users.find((u) => u.userId === SUPPLIER)!;
  await operator.admit({
    user: {
      ...supplier,
      signingKeys: [...supplier.signingKeys, { keyId: '2', publicKeyPem: pemOf(keys['2']!.publicKey) }],
    },
  });
  operator.close();
  client = new HubClient(address, tlsFor(SUPPLIER));
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
}, 60_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const request = (srv: string, cv: number, body?: ServiceRequest['body']): ServiceRequest => ({
  requestId: `${SUPPLIER}:${DEVICE}:${counter++}`,
  commandVariant: cv,
  serviceReferenceVariant: srv,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body,
});

/** CV 4 → the pre-command → signed with `keyId` → CV 5 → I99 → the meter's answer. */
async function execute(srv: string, keyId: string, body?: ServiceRequest['body']): Promise<ServiceResponse> {
  const cv4 = request(srv, 4, body);
  const transformed = await client.submit(cv4);
  expect(transformed.responseCode).toBe('I0');
  const preCommand = transformed.preCommand!;
  const signature = sign('sha256', preCommand, { key: keys[keyId]!.privateKey, dsaEncoding: 'der' });
  const cv5 = {
    ...cv4,
    commandVariant: 5,
    body: undefined,
    signedPreCommand: { preCommand, signature, keyId },
  };
  expect((await client.submit(cv5)).responseCode).toBe('I99');
  return waitFor(`the ${srv} answer`, () => received.get(cv5.requestId));
}

/** The 6.15.1 body replacing the Supplier anchor with `entityId`'s certificates for `signingKey`. */
async function replacement(entityId: string, signingKey: KeyObject): Promise<ServiceRequest['body']> {
  const certificates = await createSupplierCertificates({
    supplierId: entityId,
    signingKeyPem: pemOf(signingKey),
    topUpKeyPem: hub.prepayment.topUpPublicKeyPem(SUPPLIER),
  });
  const { certificationPathCertificates, ...replacementCertificates } = certificates;
  return {
    $case: 'updateSecurityCredentialsKrp',
    value: UpdateSecurityCredentialsKrp.fromPartial({
      remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER,
      remotePartyFloorSeqNumber: '0',
      remotePartyPrepaymentTopUpFloorSeqNumber: '0',
      replacementCertificates,
      certificationPathCertificates,
      applyTimeBasedCpvChecks: true,
    }),
  };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: unknown) => error as DccError,
  );

describe('6.15.1: the supplier replaces its own anchor', () => {
  it('refuses another party’s certificates, or a key it never registered, at CV 4: no pre-command, nothing stored', async () => {
    const foreign = await refusal(
      client.submit(request('6.15.1', 4, await replacement(OTHER_SUPPLIER, keys['2']!.publicKey))),
    );
    expect(foreign.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(foreign.message).toMatch(/is for 90-B3-D5-1F-30-04-00-00, not the sender 90-B3-D5-1F-30-01-00-00/);
    const unregistered = await refusal(
      client.submit(request('6.15.1', 4, await replacement(SUPPLIER, pair().publicKey))),
    );
    expect(unregistered.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(unregistered.message).toMatch(
      /certifies none of 90-B3-D5-1F-30-01-00-00’s registered signing keys/,
    );
  });

  it('names the certified key in the pre-command, so the supplier signs the key the device will install', async () => {
    const transformed = await client.submit(
      request('6.15.1', 4, await replacement(SUPPLIER, keys['2']!.publicKey)),
    );
    const signed = PreCommandContent.decode(PreCommand.decode(transformed.preCommand!).content).request?.body;
    expect(signed).toMatchObject({ $case: 'updateSecurityCredentialsKrp', value: { signingKeyId: '2' } });
  });

  it('installs key "2": the meter then executes what key "2" signs and refuses what key "1" signs', async () => {
    // Signed with the key the meter trusts now; the certificates certify the registered key "2".
    const replaced = await execute('6.15.1', '1', await replacement(SUPPLIER, keys['2']!.publicKey));
    expect(replaced).toMatchObject({
      responseCode: 'I0',
      body: {
        $case: 'remotePartyCredentialsUpdated',
        value: { remotePartyRole: SecurityRemotePartyRole.SECURITY_REMOTE_PARTY_ROLE_SUPPLIER },
      },
    });
    // Key "1" still passes the hub (it is registered) but the meter no longer trusts it.
    const old = await execute('7.2', '1');
    expect(old).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(old.detail).toMatch(
      /does not verify with the supplier key the device trusts \(90-B3-D5-1F-30-01-00-00 key 2\)/,
    );
    const rolled = await execute('7.2', '2');
    expect(rolled).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'supplyDisabled', value: { supply: SupplyState.SUPPLY_STATE_DISABLED } },
    });
  });
});
