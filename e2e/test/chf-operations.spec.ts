// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { GrpcStatus } from '@dcc/domain';
import { SmiDeviceStatus, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { gbcsResponseBytes } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, loadEstateFeed, startLocalHub, type LocalHub } from '../src/index.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';
import { mpan } from './registration-helpers.js';
import { routedRequests } from './routed-requests.js';

// 8.14.x Communications Hub Status Update and 8.13 Return Local Command Response through the DCC User Interface:
// command variant 8 to the hub's own id, routed to registration, which checks ownership and the CHF's status.

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const OTHER_SUPPLIER = '90-B3-D5-1F-30-03-00-00';
const ESME = '00-DB-12-00-00-00-05-01';
const CHF = '00-DB-12-00-00-00-05-02';
const POINT = mpan('100000000501');

let hub: LocalHub;
let client: HubClient;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 1,
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: OTHER_SUPPLIER, roles: ['IS', 'GS'] },
      ]),
    },
  });
  const row = {
    mpxn: POINT,
    fuel: 'electricity',
    meterKind: 'SMETS2',
    cspRegion: 'Central',
    device: { id: ESME, status: 'Commissioned' },
    commsHub: { id: CHF, status: 'Pending' },
    supplier: { party: SUPPLIER, from: '2024-01-01' },
  };
  await loadEstateFeed(
    `127.0.0.1:${hub.registration!.grpcPort}`,
    ['# a premises whose hub is being installed', JSON.stringify(row)],
    (await registrationTls()).credentials(OPERATOR),
  );
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, OTHER_SUPPLIER]) client.responses(user, (r) => received.set(r.requestId, r));
}, 60_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
});

const requests = routedRequests(() => ({ client, received }), 7_000);
const routed = (srv: string, body: NonNullable<ServiceRequest['body']>, user = SUPPLIER) =>
  requests.routed(srv, body, user);
const { answered } = requests;

const install = {
  deviceId: CHF,
  installType: 'New CHF Install',
  mpxn: POINT,
  aerialInstall: false,
  location: 'Outside',
};
const noWan = {
  ...install,
  premiseType: 'House',
  metalObstructionCheck: true,
  connectivityObstructionCheck: false,
  sharedObstructionCheck: false,
};

describe('8.14.x routed to registration: the hub status follows the installer', () => {
  it('another supplier: E4 as the response, the hub unchanged', async () => {
    const response = await answered(
      routed('8.14.2', { $case: 'chfInstallNoSmWan', value: noWan }, OTHER_SUPPLIER),
    );
    expect(response.responseCode).toBe('E4');
  });

  it('installed without SM WAN, then on the WAN: InstalledNotCommissioned, then Commissioned', async () => {
    const first = await answered(routed('8.14.2', { $case: 'chfInstallNoSmWan', value: noWan }));
    expect(first).toMatchObject({ responseCode: 'I0', serviceReferenceVariant: '8.14.2' });
    expect(first.body).toMatchObject({
      $case: 'chfStatusUpdated',
      value: {
        chf: { deviceId: CHF, status: SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED },
        changed: true,
      },
    });
    const second = await answered(routed('8.14.1', { $case: 'chfInstallSuccess', value: install }));
    expect(second.body).toMatchObject({
      value: { chf: { status: SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED }, changed: true },
    });
  });

  it("a fault 'prior to installation' on the installed hub: FAILED_PRECONDITION as the response", async () => {
    const response = await answered(
      routed('8.14.3', {
        $case: 'chfFaultReturn',
        value: {
          deviceId: CHF,
          faultReturnType: 1,
          otherDeviceId: ESME,
          connectionMethod: 'Hot-shoe',
          faultReason: 'Damaged case',
        },
      }),
    );
    expect(response.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(response.detail).toContain('is Commissioned');
  });

  it('a body the hub can check is refused before I99 (INVALID_ARGUMENT), nothing stored', async () => {
    await expect(
      client.submit(
        routed('8.14.4', { $case: 'chfNoFaultReturn', value: { deviceId: CHF, noFaultReturnType: '' } }),
      ),
    ).rejects.toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
  });
});

describe('8.13 Return Local Command Response', () => {
  const original = `${SUPPLIER}:${ESME}:42`;
  const bytes = (recipient: string) =>
    gbcsResponseBytes({ device: ESME, recipient, counter: 42n, messageCode: 0x12, content: [0x30, 0x00] });

  it("the device's response to the sender's own request: I0 with its device, message code and counter", async () => {
    const response = await answered(
      routed('8.13', {
        $case: 'returnLocalCommandResponse',
        value: { originalRequestId: original, deviceGbcsResponse: bytes(SUPPLIER) },
      }),
    );
    expect(response.body).toEqual({
      $case: 'localCommandResponseReturned',
      value: { originalRequestId: original, deviceId: ESME, messageCode: 0x12, counter: '42' },
    });
  });

  it('a response that does not answer the original request is refused before I99', async () => {
    await expect(
      client.submit(
        routed('8.13', {
          $case: 'returnLocalCommandResponse',
          value: { originalRequestId: original, deviceGbcsResponse: bytes(OTHER_SUPPLIER) },
        }),
      ),
    ).rejects.toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
  });

  it("another User's request returned: E4 as the response", async () => {
    const foreign = `${OTHER_SUPPLIER}:${ESME}:42`;
    const response = await answered(
      routed(
        '8.13',
        {
          $case: 'returnLocalCommandResponse',
          value: { originalRequestId: foreign, deviceGbcsResponse: bytes(OTHER_SUPPLIER) },
        },
        OTHER_SUPPLIER,
      ),
    );
    expect(response.responseCode).toBe('E4');
  });

  it('a no-fault return withdraws the hub: 8.14.4 I0, Withdrawn', async () => {
    const response = await answered(
      routed('8.14.4', {
        $case: 'chfNoFaultReturn',
        value: { deviceId: CHF, noFaultReturnType: 'No Fault Return (general)' },
      }),
    );
    expect(response.body).toMatchObject({
      value: { chf: { status: SmiDeviceStatus.SMI_DEVICE_STATUS_WITHDRAWN } },
    });
  });
});
