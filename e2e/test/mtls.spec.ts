// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { createDevPki, writePkiDir, type DevPki } from '@dcc/pki';
import { DccError, GrpcStatus } from '@dcc/domain';
import { ServiceRequestsServiceClient, type ServiceResponse } from '@dcc/proto';
import { credentials } from '@grpc/grpc-js';
import { waitFor } from '@dcc/testkit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, readImportRegisters, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const NETWORK_OPERATOR = '90-B3-D5-1F-30-02-00-00';
const METER = '00-DB-12-00-00-00-00-09';

let hub: LocalHub;
let pki: DevPki;
let dir: string;
let counter = 70_000;

const clientFor = (userId: string, from: DevPki = pki) =>
  new HubClient(`localhost:${hub.accessControl.grpcPort}`, {
    ca: pki.ca.certificate,
    certificate: from.users[userId]!.certificate,
    privateKey: from.users[userId]!.privateKey,
  });

beforeAll(async () => {
  pki = await createDevPki([SUPPLIER, NETWORK_OPERATOR]);
  dir = mkdtempSync(join(tmpdir(), 'dcc-pki-'));
  const files = writePkiDir(dir, pki);
  hub = await startLocalHub({
    meters: 100,
    env: {
      TLS_CERT_FILE: files.serverCertificate,
      TLS_KEY_FILE: files.serverKey,
      TLS_CLIENT_CA_FILE: files.caCertificate,
    },
  });
});

afterAll(async () => {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Users authenticate with mutual TLS', () => {
  it('accepts a request whose originator is the certificate’s User, and streams its responses', async () => {
    const client = clientFor(SUPPLIER);
    const received: ServiceResponse[] = [];
    const subscription = client.responses('', (r) => received.push(r));
    const request = readImportRegisters(SUPPLIER, METER, counter++);
    await expect(client.submit(request)).resolves.toMatchObject({ responseCode: 'I99' });
    await waitFor('the I0', () => received.find((r) => r.requestId === request.requestId));
    subscription.cancel();
    client.close();
  });

  it('refuses a RequestID whose originator is another User', async () => {
    const client = clientFor(NETWORK_OPERATOR);
    const error = await client
      .submit(readImportRegisters(SUPPLIER, METER, counter++))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DccError);
    expect(error).toMatchObject({ status: GrpcStatus.UNAUTHENTICATED });
    expect((error as DccError).message).toMatch(/not the authenticated User 90-B3-D5-1F-30-02-00-00/);
    client.close();
  });

  it('refuses to stream another User’s responses', async () => {
    const client = clientFor(NETWORK_OPERATOR);
    const ended = await client.responses(SUPPLIER, () => undefined).ended;
    expect(ended).toMatchObject({ status: GrpcStatus.PERMISSION_DENIED });
    client.close();
  });

  it('refuses a connection without a client certificate', async () => {
    const anonymous = new ServiceRequestsServiceClient(
      `localhost:${hub.accessControl.grpcPort}`,
      credentials.createSsl(Buffer.from(pki.ca.certificate)),
    );
    const error = await new Promise<{ code: number }>((resolve) =>
      anonymous.submit({ request: readImportRegisters(SUPPLIER, METER, counter++) }, (e) => resolve(e!)),
    );
    expect(error.code).toBe(GrpcStatus.UNAVAILABLE);
    anonymous.close();
  });

  it('refuses a certificate from another CA', async () => {
    const stranger = await createDevPki([SUPPLIER]);
    const client = clientFor(SUPPLIER, stranger);
    const error = await client
      .submit(readImportRegisters(SUPPLIER, METER, counter++))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: GrpcStatus.UNAVAILABLE });
    client.close();
  });

  it('refuses plaintext clients', async () => {
    const client = new HubClient(`localhost:${hub.accessControl.grpcPort}`);
    const error = await client
      .submit(readImportRegisters(SUPPLIER, METER, counter++))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: GrpcStatus.UNAVAILABLE });
    client.close();
  });
});
