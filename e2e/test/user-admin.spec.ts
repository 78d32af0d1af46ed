// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { accessControl } from '@dcc/access-control';
import { DccError, GrpcStatus } from '@dcc/domain';
import { createDevPki, writePkiDir, type DevPki } from '@dcc/pki';
import { UserRole, UserStatus } from '@dcc/proto';
import { startService } from '@dcc/service-kit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HubClient,
  readImportRegisters,
  startLocalHub,
  userAdminClient,
  type LocalHub,
} from '../src/index.js';

const OPERATOR = '90-B3-D5-1F-30-00-00-02';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const NEW_SUPPLIER = '90-B3-D5-1F-30-04-00-00';
// The test estate alternates the two suppliers: even meters are SUPPLIER's, odd ones NEW_SUPPLIER's.
const METER = '00-DB-12-00-00-00-00-08';
const NEW_SUPPLIERS_METER = '00-DB-12-00-00-00-00-07';

let hub: LocalHub;
let pki: DevPki;
let dir: string;
let counter = 90_000;

const tlsFor = (id: string) => ({
  ca: pki.ca.certificate,
  certificate: pki.users[id]!.certificate,
  privateKey: pki.users[id]!.privateKey,
});
const address = () => `localhost:${hub.accessControl.grpcPort}`;

const admin = (as: string, at = address()) => userAdminClient(at, tlsFor(as));

beforeAll(async () => {
  pki = await createDevPki([OPERATOR, SUPPLIER, NEW_SUPPLIER]);
  dir = mkdtempSync(join(tmpdir(), 'dcc-admin-'));
  const files = writePkiDir(dir, pki);
  hub = await startLocalHub({
    parties: { suppliers: [SUPPLIER, NEW_SUPPLIER] },
    meters: 100,
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
      ADMIN_IDS: OPERATOR,
    },
  });
});

afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function submitAs(user: string) {
  const client = new HubClient(address(), tlsFor(user));
  try {
    const meter = user === NEW_SUPPLIER ? NEW_SUPPLIERS_METER : METER;
    return await client.submit(readImportRegisters(user, meter, counter++));
  } finally {
    client.close();
  }
}

describe('User admission by operators', () => {
  it('admits a new User, who can then send requests', async () => {
    const refused = await submitAs(NEW_SUPPLIER).catch((e: unknown) => e);
    expect(refused).toMatchObject({ responseCode: 'E1' });
    const operator = admin(OPERATOR);
    const { user } = await operator.admit({
      user: {
        userId: NEW_SUPPLIER,
        roles: [UserRole.USER_ROLE_IMPORT_SUPPLIER],
        status: UserStatus.USER_STATUS_UNSPECIFIED,
        signingKeys: [],
        statusReason: '',
        topUpKey: '',
      },
    });
    expect(user?.status).toBe(UserStatus.USER_STATUS_ADMITTED);
    await expect(submitAs(NEW_SUPPLIER)).resolves.toMatchObject({ responseCode: 'I99' });
    expect((await operator.list({})).users.map((u) => u.userId)).toContain(NEW_SUPPLIER);
    operator.close();
  });

  it('suspends a User (E3), keeps the suspension across a restart, and reinstates it', async () => {
    const operator = admin(OPERATOR);
    await operator.suspend({ userId: SUPPLIER, reason: 'anomalous traffic under review' });
    const suspended = (await submitAs(SUPPLIER).catch((e: unknown) => e)) as DccError;
    expect(suspended).toMatchObject({ responseCode: 'E3', status: GrpcStatus.PERMISSION_DENIED });
    expect(suspended.message).toMatch(/suspended: anomalous traffic under review/);

    // A second access-control instance (or a restart) reads the same durable directory.
    const other = await startService(accessControl, { ...hub.env, ...tlsEnv(), ADMIN_IDS: OPERATOR });
    const client = new HubClient(`localhost:${other.grpcPort}`, tlsFor(SUPPLIER));
    await expect(client.submit(readImportRegisters(SUPPLIER, METER, counter++))).rejects.toMatchObject({
      responseCode: 'E3',
    });

    await operator.reinstate({ userId: SUPPLIER });
    await expect(submitAs(SUPPLIER)).resolves.toMatchObject({ responseCode: 'I99' });
    // The other instance follows the change through its watch.
    await expect
      .poll(() =>
        client.submit(readImportRegisters(SUPPLIER, METER, counter++)).then(
          (a) => a.responseCode,
          () => 'refused',
        ),
      )
      .toBe('I99');
    client.close();
    await other.stop();
    operator.close();
  });

  it('refuses callers that are not operators, and bad input', async () => {
    const notOperator = admin(SUPPLIER);
    await expect(notOperator.list({})).rejects.toMatchObject({ status: GrpcStatus.PERMISSION_DENIED });
    notOperator.close();
    const operator = admin(OPERATOR);
    await expect(operator.suspend({ userId: '90-B3-D5-1F-30-09-09-09', reason: '' })).rejects.toMatchObject({
      status: GrpcStatus.NOT_FOUND,
    });
    await expect(operator.suspend({ userId: 'nonsense', reason: '' })).rejects.toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
    await expect(
      operator.admit({
        user: {
          userId: NEW_SUPPLIER,
          roles: [],
          status: 0,
          signingKeys: [],
          statusReason: '',
          topUpKey: '',
        },
      }),
    ).rejects.toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    operator.close();
  });
});

function tlsEnv() {
  return {
    TLS_CERT_FILE: hub.env.TLS_CERT_FILE!,
    TLS_KEY_FILE: hub.env.TLS_KEY_FILE!,
    TLS_CLIENT_CA_FILE: hub.env.TLS_CLIENT_CA_FILE!,
  };
}
