// Firmware end to end over a real nats-server and real gRPC: 11.1 sends an image to a device's comms hub and the
// device reports the transfer (0x8F8A) to the sender; 11.3 activates it (immediate and future-dated) and 11.2
// reads the new version; without a distributed image 11.3 is refused as the device would; 11.4 does the same for
// a PPMID; bad images and devices firmware does not apply to are refused before I99.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { DEFAULT_FIRMWARE_VERSION } from '@dcc/meter';
import { GrpcStatus } from '@dcc/domain';
import { UserRole, type ServiceRequest, type ServiceResponse } from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, loadEstateFeed, startLocalHub, type LocalHub } from '../src/index.js';
import { OPERATOR, registrationTls } from '../src/registration-tls.js';
import { dccBoxedFeed, SAMPLE_DEVICES, SAMPLE_USERS } from './duis/dcc-boxed-estate.js';

const SUPPLIER = SAMPLE_USERS.supplier;
const HUB = SAMPLE_USERS.dcc;
const IS = UserRole.USER_ROLE_IMPORT_SUPPLIER;
const supplierKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const USERS = [
  {
    id: SUPPLIER,
    roles: ['IS', 'GS', 'ES'],
    signingKeys: [
      { keyId: '1', publicKeyPem: supplierKey.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
  },
  { id: SAMPLE_USERS.networkOperator, roles: ['ED', 'GT'] },
];

let hub: LocalHub;
let client: HubClient;
let counter = 1_000;
const received: ServiceResponse[] = [];

/** A small Zigbee OTA upgrade image (little-endian header, no optional fields) around `payload`. */
function otaImage(payload: string, fileVersion = 0x01020304): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(56);
  header.writeUInt32LE(0x0beef11e, 0);
  header.writeUInt16LE(0x0100, 4);
  header.writeUInt16LE(56, 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt16LE(0x121d, 10);
  header.writeUInt16LE(0x0001, 12);
  header.writeUInt32LE(fileVersion, 14);
  header.writeUInt16LE(2, 18);
  header.write('firmware end to end', 20, 32, 'latin1');
  header.writeUInt32LE(56 + body.length, 52);
  return Buffer.concat([header, body]);
}

const sha256 = (image: Buffer) => createHash('sha256').update(image).digest('hex');

function answerTo(requestId: string): Promise<ServiceResponse> {
  return waitFor(`the answer to ${requestId}`, () =>
    received.find((r) => r.requestId === requestId && r.body?.$case !== 'alert'),
  );
}

function alertFor(requestId: string, deviceId: string, code: string): Promise<ServiceResponse> {
  return waitFor(`alert ${code} of ${deviceId}`, () =>
    received.find(
      (r) =>
        r.body?.$case === 'alert' &&
        r.body.value.alertCode === code &&
        r.body.value.deviceId === deviceId &&
        r.body.value.originatingRequestId === requestId,
    ),
  );
}

async function distribute(srv: '11.1' | '11.4', image: Buffer, version: string, deviceIds: string[]) {
  const request: ServiceRequest = {
    requestId: `${SUPPLIER}:${HUB}:${counter++}`,
    commandVariant: 8,
    serviceReferenceVariant: srv,
    userRole: IS,
    body:
      srv === '11.1'
        ? { $case: 'updateFirmware', value: { firmwareImage: image, firmwareVersion: version, deviceIds } }
        : {
            $case: 'updatePpmidFirmware',
            value: { firmwareImage: image, firmwareVersion: version, deviceIds },
          },
  };
  const ack = await client.submit(request);
  return { request, ack };
}

/** 11.3 as a User sends it: CV 4 for the pre-command, then CV 5 with it signed. */
async function activate(device: string, imageHash: string, executionDateTimeMs?: number) {
  const cv4: ServiceRequest = {
    requestId: `${SUPPLIER}:${device}:${counter++}`,
    commandVariant: 4,
    serviceReferenceVariant: '11.3',
    userRole: IS,
    body: {
      $case: 'activateFirmware',
      value: { imageHash, ...(executionDateTimeMs ? { executionDateTimeMs } : {}) },
    },
  };
  const transformed = await client.submit(cv4);
  expect(transformed.responseCode).toBe('I0');
  const preCommand = transformed.preCommand!;
  const cv5: ServiceRequest = {
    ...cv4,
    commandVariant: 5,
    body: undefined,
    signedPreCommand: {
      preCommand,
      signature: sign('sha256', preCommand, { key: supplierKey.privateKey, dsaEncoding: 'der' }),
      keyId: '1',
    },
  };
  expect((await client.submit(cv5)).responseCode).toBe('I99');
  return answerTo(cv5.requestId);
}

async function runningVersion(device: string) {
  const requestId = `${SUPPLIER}:${device}:${counter++}`;
  const ack = await client.submit({
    requestId,
    commandVariant: 1,
    serviceReferenceVariant: '11.2',
    userRole: IS,
    body: { $case: 'readFirmwareVersion', value: {} },
  });
  expect(ack.responseCode).toBe('I99');
  const answer = await answerTo(requestId);
  return answer.body?.$case === 'firmwareVersion' ? answer.body.value : undefined;
}

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 2,
    env: { USERS: JSON.stringify(USERS), REMINDER_TICK_MS: '200' },
  });
  await loadEstateFeed(
    `127.0.0.1:${hub.registration!.grpcPort}`,
    dccBoxedFeed(),
    (await registrationTls()).credentials(OPERATOR),
  );
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.push(r));
}, 60_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
});

describe('firmware end to end', () => {
  it('11.3 without a distributed image is refused by the device (0x8F1C)', async () => {
    const refused = await activate(SAMPLE_DEVICES.esme, 'ab'.repeat(32));
    expect(refused.statusCode).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(refused.alerts.map((a) => a.code)).toContain('8F1C');
  });

  it('11.1 distributes an image; 11.3 activates it now and 11.2 reads the new version', async () => {
    const device = SAMPLE_DEVICES.esme;
    expect((await runningVersion(device))?.version).toBe(DEFAULT_FIRMWARE_VERSION);
    const image = otaImage('image one');
    const { request, ack } = await distribute('11.1', image, '02030000', [device]);
    expect(ack.responseCode).toBe('I99');
    const answer = await answerTo(request.requestId);
    expect(answer.responseCode).toBe('I0');
    expect(answer.body).toEqual({
      $case: 'firmwareDistributed',
      value: {
        imageHash: sha256(image),
        firmwareVersion: '02030000',
        imageSizeBytes: image.length,
        manufacturerCode: 0x121d,
        imageType: 1,
        otaFileVersion: '01020304',
        targets: [{ deviceId: device, commsHubId: SAMPLE_DEVICES.chf }],
      },
    });
    await alertFor(request.requestId, device, '8F8A');
    expect(await runningVersion(device)).toMatchObject({ pendingImageVersion: '02030000' });

    const activated = await activate(device, sha256(image));
    expect(activated.responseCode).toBe('I0');
    expect(activated.body).toMatchObject({ $case: 'firmwareActivated', value: { version: '02030000' } });
    expect(activated.alerts.map((a) => a.code)).toEqual(expect.arrayContaining(['8F72', '8F43']));
    expect((await runningVersion(device))?.version).toBe('02030000');
  });

  it('a future-dated 11.3 activates the distributed image at its time (0x8F66)', async () => {
    const device = SAMPLE_DEVICES.esme;
    const image = otaImage('image two', 0x01020305);
    const { request } = await distribute('11.1', image, '02040000', [device]);
    expect((await answerTo(request.requestId)).responseCode).toBe('I0');
    await alertFor(request.requestId, device, '8F8A');
    const scheduled = await activate(device, sha256(image), Date.now() + 1_500);
    expect(scheduled.responseCode).toBe('I0');
    expect((await runningVersion(device))?.version).toBe('02030000');
    await alertFor(scheduled.requestId, device, '8F66');
    expect((await runningVersion(device))?.version).toBe('02040000');
  });

  it('11.4 distributes a PPMID image; 11.3 activates it on the PPMID', async () => {
    const ppmid = SAMPLE_DEVICES.ppmid;
    const image = otaImage('ppmid image');
    const { request, ack } = await distribute('11.4', image, '03000001', [ppmid]);
    expect(ack.responseCode).toBe('I99');
    const answer = await answerTo(request.requestId);
    expect(answer.body).toMatchObject({
      $case: 'ppmidFirmwareDistributed',
      value: { imageHash: sha256(image), targets: [{ deviceId: ppmid }] },
    });
    await alertFor(request.requestId, ppmid, '8F8A');
    expect((await activate(ppmid, sha256(image))).responseCode).toBe('I0');
    expect((await runningVersion(ppmid))?.version).toBe('03000001');
  });

  it('refuses before I99: a PPMID in 11.1 or a meter in 11.4 (E11), an unknown device (E19), a bad image', async () => {
    const image = otaImage('refused');
    const firstRefused = counter;
    await expect(distribute('11.1', image, '02050000', [SAMPLE_DEVICES.ppmid])).rejects.toMatchObject({
      responseCode: 'E11',
    });
    await expect(distribute('11.4', image, '02050000', [SAMPLE_DEVICES.esme])).rejects.toMatchObject({
      responseCode: 'E11',
    });
    await expect(distribute('11.1', image, '02050000', ['AA-BB-CC-DD-EE-FF-00-11'])).rejects.toMatchObject({
      responseCode: 'E19',
    });
    for (const bad of [image.subarray(0, image.length - 1), Buffer.concat([image, Buffer.from([0])])]) {
      await expect(distribute('11.1', bad, '02050000', [SAMPLE_DEVICES.esme])).rejects.toMatchObject({
        status: GrpcStatus.INVALID_ARGUMENT,
      });
    }
    // Nothing was kept or sent: none of these requests has an answer or a transfer alert.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refusedIds = new Set(
      Array.from({ length: counter - firstRefused }, (_, i) => `${SUPPLIER}:${HUB}:${firstRefused + i}`),
    );
    expect(received.filter((r) => refusedIds.has(r.requestId))).toEqual([]);
  });
});
