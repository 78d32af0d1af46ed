// Telemetry first: providers must be installed before the services' modules load.
import './telemetry-setup.js';
import { kaPublicKeyText } from '@dcc/domain';
import {
  PrepaymentServiceClient,
  TopUpStage,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
  type TopUpRecord,
} from '@dcc/proto';
import { fromServiceError } from '@dcc/service-kit';
import { freePort, healthCheck, startServiceProcess, waitFor, type ServiceProcess } from '@dcc/testkit';
import { type ServiceError } from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESTATE_PARTIES, estateLines, HubClient, startLocalHub, type LocalHub } from '../src/index.js';
import { loadEstateFeed } from '../src/estate.js';
import { registrationTls, type RegistrationTls } from '../src/registration-tls.js';

// The prepayment service as its own OS process, over real NATS and gRPC: payment channels (mutual TLS) top up
// meters of the estate through it; it issues the registered supplier's UTRNs and sends them with SRV 2.2
// through access control; the meter's balance (4.18) shows each payment credited once, including after the
// service is killed between issuing a UTRN and dispatching it. The tests run in order: the first one kills and
// restarts the service the others then use.

const SUPPLIER = ESTATE_PARTIES.supplier;
const OTHER_SUPPLIER = ESTATE_PARTIES.otherSuppliers[0]!;
const CHANNEL = '90-B3-D5-1F-30-0A-00-01';
const STRANGER = '90-B3-D5-1F-30-0A-00-02';
const ENTRY = 'services/prepayment/src/main.ts';
// The uniform estate with suppliers in turn: even meters the development supplier's, odd ones another's.
const LINES = estateLines(6, 'uniform', { suppliers: [SUPPLIER, OTHER_SUPPLIER] });
const points = LINES.map((l) => JSON.parse(l) as { mpxn: string; device: { id: string } });
const customer = (i: number) => `ACC-${i}:${points[i]!.mpxn}`;

let hub: LocalHub;
let tls: RegistrationTls;
let client: HubClient;
let keyDir: string;
let port: number;
let service: ServiceProcess | undefined;
const received = new Map<string, ServiceResponse>();
// Balance reads use time-based RequestID counters as the service does (milliseconds × 10^6 + a small number):
// ones made before a top-up is issued are below its 2.2's counter, ones made after it above.
let sequence = 0n;
const nextCounter = () => BigInt(Date.now()) * 1_000_000n + 999_000n + sequence++;

beforeAll(async () => {
  tls = await registrationTls([CHANNEL, STRANGER]);
  hub = await startLocalHub({ meters: 6, parties: { suppliers: [SUPPLIER, OTHER_SUPPLIER] } });
  // The meters' installer registers their KA public keys (what the supplier's UTRNs are made for).
  const withKey = (line: string) => {
    const row = JSON.parse(line) as { device: { id: string; kaPublicKey?: string } };
    row.device.kaPublicKey = kaPublicKeyText(hub.prepayment.devices.keyPair(row.device.id).publicKey);
    return JSON.stringify(row);
  };
  await loadEstateFeed(
    `127.0.0.1:${hub.registration!.grpcPort}`,
    LINES.map(withKey),
    tls.credentials(tls.env.REGISTRATION_ADMIN_IDS!),
  );
  keyDir = mkdtempSync(join(tmpdir(), 'dcc-prepayment-'));
  const topUpKey = hub.prepayment.topUpKeyPair(SUPPLIER).privateKey;
  writeFileSync(join(keyDir, `${SUPPLIER}.topup.key`), topUpKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  client = new HubClient(hub.address);
  client.responses(SUPPLIER, (r) => received.set(r.requestId, r));
  port = await freePort();
}, 60_000);

afterAll(async () => {
  service?.child.kill('SIGKILL');
  client?.close();
  await hub?.stop();
  if (keyDir) rmSync(keyDir, { recursive: true, force: true });
});

async function startPrepayment(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const child = startServiceProcess(ENTRY, {
    NATS_URL: hub.nats.url,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: String(port),
    LOG_LEVEL: 'warn',
    TLS_CERT_FILE: tls.env.TLS_CERT_FILE!,
    TLS_KEY_FILE: tls.env.TLS_KEY_FILE!,
    TLS_CLIENT_CA_FILE: tls.env.TLS_CLIENT_CA_FILE!,
    PREPAYMENT_CHANNEL_IDS: CHANNEL,
    PREPAYMENT_SUPPLIER_IDS: SUPPLIER,
    PREPAYMENT_SUPPLIER_KEY_DIR: keyDir,
    ACCESS_CONTROL_ADDRESS: hub.address,
    PREPAYMENT_RETRY_MS: '200',
    ...env,
  });
  await waitFor(
    'prepayment to serve',
    () => healthCheck(`127.0.0.1:${port}`, '', tls.credentials(CHANNEL)).catch(() => undefined),
    30_000,
    200,
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  });
  return child;
}

const channelClient = (id = CHANNEL) => new PrepaymentServiceClient(`127.0.0.1:${port}`, tls.credentials(id));

function topUp(
  customerId: string,
  amountPence: number,
  idempotencyKey: string,
  id = CHANNEL,
): Promise<TopUpRecord> {
  const c = channelClient(id);
  return new Promise<TopUpRecord>((resolve, reject) =>
    c.topUp({ customerId, amountPence, idempotencyKey }, (error: ServiceError | null, reply) =>
      error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
    ),
  ).finally(() => c.close());
}

function getTopUp(idempotencyKey: string): Promise<TopUpRecord> {
  const c = channelClient();
  return new Promise<TopUpRecord>((resolve, reject) =>
    c.getTopUp({ idempotencyKey }, (error: ServiceError | null, reply) =>
      error ? reject(fromServiceError(error)) : resolve(reply!.topUp!),
    ),
  ).finally(() => c.close());
}

async function balancePence(device: string): Promise<number> {
  const request: ServiceRequest = {
    requestId: `${SUPPLIER}:${device}:${nextCounter()}`,
    commandVariant: 1,
    serviceReferenceVariant: '4.18',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: { $case: 'readMeterBalance', value: {} },
  };
  expect((await client.submit(request)).responseCode).toBe('I99');
  const read = await waitFor(`the answer to ${request.requestId}`, () => received.get(request.requestId));
  if (read.body?.$case !== 'meterBalance') throw new Error(`4.18 answered ${JSON.stringify(read)}`);
  return Number(read.body.value.meterBalancePence);
}

/** The meter's answer to the 2.2 the service sent for this top-up. */
const credited = (record: TopUpRecord) =>
  waitFor(`the meter's answer to ${record.requestId}`, () => received.get(record.requestId));

describe('prepayment service', () => {
  it('killed between issuing a UTRN and dispatching it, after restart dispatches the same UTRN: credited once', async () => {
    const meter = points[0]!.device.id;
    const before = await balancePence(meter);
    // The test hook holds every top-up between "issued" (recorded) and dispatch.
    service = await startPrepayment({ PREPAYMENT_TEST_PAUSE_AFTER_ISSUE_MS: '600000' });
    const pending = topUp(customer(0), 1_500, 'pay-kill').catch((error: Error) => error);
    const issued = await waitFor('the UTRN to be recorded as issued', async () => {
      const record = await getTopUp('pay-kill').catch(() => undefined);
      return record?.stage === TopUpStage.TOP_UP_STAGE_ISSUED ? record : undefined;
    });
    expect(issued).toMatchObject({ supplierId: SUPPLIER, deviceId: meter, amountPence: 1_500 });
    expect(issued.utrn).toMatch(/^\d{20}$/);
    service.child.kill('SIGKILL');
    expect(await service.exited).toBeNull();
    expect(await pending).toBeInstanceOf(Error); // the channel's call died with the process
    expect(received.has(issued.requestId)).toBe(false); // nothing reached the meter

    service = await startPrepayment();
    const dispatched = await waitFor('the restarted service to dispatch it', async () => {
      const record = await getTopUp('pay-kill');
      return record.stage === TopUpStage.TOP_UP_STAGE_DISPATCHED ? record : undefined;
    });
    expect(dispatched).toMatchObject({ utrn: issued.utrn, requestId: issued.requestId, outcomeCode: 'I99' });
    expect(await credited(dispatched)).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'topUp', value: { creditedPence: '1500' } },
    });
    // The channel's retry answers the same UTRN and sends nothing again.
    expect(await topUp(customer(0), 1_500, 'pay-kill')).toEqual(dispatched);
    expect(await balancePence(meter)).toBe(before + 1_500);
  }, 120_000);

  it('tops up a meter of the registered supplier: the UTRN to the channel, SRV 2.2 credits the meter once', async () => {
    const meter = points[2]!.device.id;
    const before = await balancePence(meter);
    // The channel's retry racing its first call: one payment, one UTRN, one 2.2.
    const [record, raced] = await Promise.all([
      topUp(customer(2), 2_000, 'pay-2'),
      topUp(customer(2), 2_000, 'pay-2'),
    ]);
    expect(raced).toEqual(record);
    expect(record).toMatchObject({
      stage: TopUpStage.TOP_UP_STAGE_DISPATCHED,
      supplierId: SUPPLIER,
      deviceId: meter,
      outcomeCode: 'I99',
    });
    expect(await credited(record)).toMatchObject({ responseCode: 'I0' });
    expect(await topUp(customer(2), 2_000, 'pay-2')).toEqual(record);
    expect(await getTopUp('pay-2')).toEqual(record);
    // A second payment takes the supplier's next counter: a new UTRN, credited too.
    const second = await topUp(customer(2), 300, 'pay-2b');
    expect(second.utrn).not.toBe(record.utrn);
    expect(await credited(second)).toMatchObject({ responseCode: 'I0' });
    expect(await balancePence(meter)).toBe(before + 2_300);
  }, 60_000);

  it('refuses a customer id whose MPAN check digit is wrong, before recording or issuing anything', async () => {
    const mpan = points[2]!.mpxn;
    const wrong = `${mpan.slice(0, 12)}${(Number(mpan[12]) + 1) % 10}`;
    await expect(topUp(`ACC-2:${wrong}`, 500, 'pay-bad')).rejects.toMatchObject({
      status: 3,
      message: expect.stringContaining('check digit'),
    });
    await expect(getTopUp('pay-bad')).rejects.toMatchObject({ status: 5 });
    await expect(topUp('no-meter-point', 500, 'pay-bad')).rejects.toMatchObject({ status: 3 });
  });

  it('refuses, before issuing, a meter point whose registered supplier does not issue through the service', async () => {
    const record = await topUp(customer(1), 500, 'pay-other');
    expect(record).toMatchObject({ stage: TopUpStage.TOP_UP_STAGE_REFUSED, utrn: '' });
    expect(record.outcome).toContain(OTHER_SUPPLIER);
  });

  it('refuses the same idempotency key for another payment', async () => {
    await expect(topUp(customer(2), 999, 'pay-2')).rejects.toMatchObject({ status: 6 });
  });

  it('refuses a certificate that is not a configured payment channel', async () => {
    await expect(topUp(customer(2), 500, 'pay-stranger', STRANGER)).rejects.toMatchObject({ status: 7 });
  });
});
