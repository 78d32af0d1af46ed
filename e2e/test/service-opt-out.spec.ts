// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { GrpcStatus } from '@dcc/domain';
import { TEST_ACB_CA, TEST_ACB_KA_CERTIFICATE, TEST_OTHER_CA } from '@dcc/meter';
import { SmiDeviceStatus, UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import type { RunningService } from '@dcc/service-kit';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { mpan, mprn, startRegistrationWithFeed } from './registration-helpers.js';

// 8.5 Service Opt Out through the whole hub, then 8.6 Service Opt In: the device installs the replacement Access
// Control Broker's credentials, its adapter tells registration before the I0 is stored, the inventory holds the
// device Withdrawn and access control refuses it E5 until its supplier opts it back in.

const HUB = '90-B3-D5-1F-30-00-00-02';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DNO = '90-B3-D5-1F-30-02-00-00';
const ELECTRICITY = mpan('100000000301');
const GAS = mprn('10000301');
const ESME = '00-DB-12-00-00-00-03-01';
const GSME = '00-DB-12-00-00-00-03-02';
const CHF = '00-DB-12-00-00-00-03-03';
const GPF = '00-DB-12-00-00-00-03-04';

const commissioned = (id: string) => ({ id, status: 'Commissioned' });
const common = {
  meterKind: 'SMETS2',
  cspRegion: 'South',
  commsHub: commissioned(CHF),
  supplier: { party: SUPPLIER, from: '2024-01-01' },
  networkOperator: { party: DNO, from: '2020-01-01' },
};
const FEED = [
  JSON.stringify({ mpxn: ELECTRICITY, fuel: 'electricity', ...common, device: commissioned(ESME) }),
  JSON.stringify({ mpxn: GAS, fuel: 'gas', ...common, device: commissioned(GSME), gpf: commissioned(GPF) }),
];

let hub: LocalHub;
let registration: RunningService | undefined;
let client: HubClient;
let counter = 11_000;
const received = new Map<string, ServiceResponse>();

beforeAll(async () => {
  hub = await startLocalHub({
    registration: false,
    env: {
      USERS: JSON.stringify([
        { id: SUPPLIER, roles: ['IS', 'GS'] },
        { id: DNO, roles: ['ED'] },
      ]),
    },
  });
  registration = await startRegistrationWithFeed(hub.nats.url, FEED, 'opt-out');
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, DNO]) client.responses(user, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client?.close();
  await registration?.stop();
  await hub?.stop();
});

const ROLES = {
  IS: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  GS: UserRole.USER_ROLE_GAS_SUPPLIER,
  ED: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
};

function request(
  target: string,
  srv: string,
  body: ServiceRequest['body'],
  role: keyof typeof ROLES = 'IS',
  user = SUPPLIER,
): ServiceRequest {
  return {
    requestId: `${user}:${target}:${counter++}`,
    commandVariant: target === HUB ? 8 : 1,
    serviceReferenceVariant: srv,
    userRole: ROLES[role],
    body,
  };
}

const der = (base64: string) => Buffer.from(base64, 'base64');
const optOut = (target: string, path = TEST_ACB_CA, role: keyof typeof ROLES = 'IS', user = SUPPLIER) =>
  request(
    target,
    '8.5',
    {
      $case: 'serviceOptOut',
      value: {
        acbFloorSeqNumber: '0',
        replacementKeyAgreementCertificate: der(TEST_ACB_KA_CERTIFICATE),
        certificationPathCertificates: [der(path)],
        applyTimeBasedCpvChecks: true,
      },
    },
    role,
    user,
  );
const readFirmware = (target: string, role: keyof typeof ROLES = 'IS') =>
  request(target, '11.2', undefined, role);

async function answered(r: ServiceRequest): Promise<ServiceResponse> {
  expect((await client.submit(r)).responseCode).toBe('I99');
  return waitFor(`the answer to ${r.serviceReferenceVariant}`, () => received.get(r.requestId));
}

async function statusOf(deviceId: string): Promise<SmiDeviceStatus | undefined> {
  const response = await answered(
    request(HUB, '8.2', { $case: 'readInventory', value: { deviceId, mpxn: '' } }),
  );
  return response.body?.$case === 'inventory' ? response.body.value.devices[0]?.status : undefined;
}

describe('8.5 Service Opt Out and 8.6 Service Opt In through the hub', () => {
  it('opts the ESME out: I0, the inventory holds it Withdrawn, access control refuses it E5; 8.6 brings it back', async () => {
    const response = await answered(optOut(ESME));
    expect(response.responseCode).toBe('I0');
    expect(response.body?.$case === 'serviceOptedOut' && response.body.value.acbCertificateSha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect(await statusOf(ESME)).toBe(SmiDeviceStatus.SMI_DEVICE_STATUS_WITHDRAWN);
    expect((await client.refusal(readFirmware(ESME))).responseCode).toBe('E5');

    const optIn = await answered(
      request(HUB, '8.6', {
        $case: 'serviceOptIn',
        value: {
          deviceId: ESME,
          deviceType: 'ESME',
          importMpxn: ELECTRICITY,
          secondaryImportMpan: '',
          exportMpan: '',
          optInDateMs: Date.UTC(2025, 5, 1),
        },
      }),
    );
    expect(optIn.responseCode).toBe('I0');
    expect(await statusOf(ESME)).toBe(SmiDeviceStatus.SMI_DEVICE_STATUS_INSTALLED_NOT_COMMISSIONED);
  });

  it('a replacement certificate its path did not issue: the device refuses it and the inventory is unchanged', async () => {
    const response = await answered(optOut(GSME, TEST_OTHER_CA, 'GS'));
    expect(response.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(response.detail).toMatch(/CERTIFICATE_REJECTED|is not issued by/);
    expect(await statusOf(GSME)).toBe(SmiDeviceStatus.SMI_DEVICE_STATUS_COMMISSIONED);
    expect((await answered(readFirmware(GSME, 'GS'))).responseCode).toBe('I0');
  });

  it('refuses before I99: a network operator (E2), a body without certificates, a DSP date in the past', async () => {
    expect((await client.refusal(optOut(GSME, TEST_ACB_CA, 'ED', DNO))).responseCode).toBe('E2');
    const noPath = optOut(GSME, TEST_ACB_CA, 'GS');
    if (noPath.body?.$case === 'serviceOptOut') noPath.body.value.certificationPathCertificates = [];
    expect((await client.refusal(noPath)).message).toMatch(/certificationPathCertificates is missing/);
    const notDer = optOut(GSME, TEST_ACB_CA, 'GS');
    if (notDer.body?.$case === 'serviceOptOut')
      notDer.body.value.replacementKeyAgreementCertificate = der('AAAA');
    expect((await client.refusal(notDer)).message).toMatch(/not a DER certificate/);
    const past = { ...optOut(GSME, TEST_ACB_CA, 'GS'), executionDateTimeMs: Date.UTC(2015, 0, 15) };
    expect((await client.refusal(past)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});
