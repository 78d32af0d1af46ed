// Critical commands end to end: CV 4 → pre-command → signed by the User → CV 5 → I99 → the meter's I0, over a
// real nats-server and real gRPC.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  DeviceOutcomeKind,
  LocalCommand,
  LocalCommandContent,
  PaymentMode,
  SupplyState,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosBody } from '../src/cos-request.js';
import { estateLines, HubClient, loadEstateFeed, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the supplier simulated meters trust by default (key "1")
const NEW_SUPPLIER = '90-B3-D5-1F-30-04-00-00'; // gains a meter by change of supplier (6.23)
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const IS = UserRole.USER_ROLE_IMPORT_SUPPLIER;

const keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
  [SUPPLIER]: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  [NEW_SUPPLIER]: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const NETWORK = '90-B3-D5-1F-30-05-00-00'; // an electricity distributor: may not receive local commands
const USERS = [
  ...Object.entries(keys).map(([id, pair]) => ({
    id,
    roles: ['IS', 'GS', 'ES'],
    signingKeys: [
      { keyId: '1', publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
  })),
  { id: NETWORK, roles: ['ED'] },
];

let hub: LocalHub;
let client: HubClient;
const received = new Map<string, ServiceResponse>();
let counter = 5_000;

beforeAll(async () => {
  // Wake reminders off for the test's duration: a reminder that fires runs the meter's advance() and its 8F66
  // goes out as an alert (alert-routing.spec.ts); here the future-dated test's 8F66 comes with the next answer.
  hub = await startLocalHub({
    meters: 100,
    parties: { distributors: [NETWORK] },
    env: { USERS: JSON.stringify(USERS), REMINDER_TICK_MS: String(3_600_000) },
  });
  client = new HubClient(hub.address);
  for (const user of [SUPPLIER, NEW_SUPPLIER]) client.responses(user, (r) => received.set(r.requestId, r));
});

afterAll(async () => {
  client.close();
  await hub.stop();
});

const request = (user: string, device: string, srv: string, cv: number, body?: ServiceRequest['body']) => ({
  requestId: `${user}:${device}:${counter++}`,
  commandVariant: cv,
  serviceReferenceVariant: srv,
  userRole: IS,
  body,
});

/** CV 4: the pre-command for `srv`, and the RequestID it was issued for. */
async function transform(user: string, device: string, srv: string, body?: ServiceRequest['body']) {
  const cv4 = request(user, device, srv, 4, body);
  const ack = await client.submit(cv4);
  expect(ack.responseCode).toBe('I0');
  expect(ack.preCommand?.length).toBeGreaterThan(0);
  return { cv4, preCommand: ack.preCommand! };
}

/** CV 4, sign (ECDSA P-256, SHA-256, DER), CV 5 (or 6, 7): resolves with the I99 acknowledgement's request. */
async function sendSigned(
  user: string,
  device: string,
  srv: string,
  body?: ServiceRequest['body'],
  signingKey = keys[user]!.privateKey,
  commandVariant = 5,
) {
  const { cv4, preCommand } = await transform(user, device, srv, body);
  const cv5: ServiceRequest = {
    ...cv4,
    commandVariant,
    body: undefined,
    signedPreCommand: {
      preCommand,
      signature: sign('sha256', preCommand, { key: signingKey, dsaEncoding: 'der' }),
      keyId: '1',
    },
  };
  return { cv5, ack: client.submit(cv5) };
}

async function execute(
  user: string,
  device: string,
  srv: string,
  body?: ServiceRequest['body'],
): Promise<ServiceResponse> {
  const { cv5, ack } = await sendSigned(user, device, srv, body);
  expect((await ack).responseCode).toBe('I99');
  return waitFor(`the response to ${srv}`, () => received.get(cv5.requestId));
}

async function readSupply(user: string, device: string): Promise<ServiceResponse> {
  const read = request(user, device, '7.4', 1, { $case: 'readSupplyStatus', value: {} });
  expect((await client.submit(read)).responseCode).toBe('I99');
  return waitFor('the 7.4 response', () => received.get(read.requestId));
}

async function readPrepay(user: string, device: string): Promise<ServiceResponse> {
  const read = request(user, device, '4.3', 1, { $case: 'readInstantaneousPrepayValues', value: {} });
  expect((await client.submit(read)).responseCode).toBe('I99');
  return waitFor('the 4.3 response', () => received.get(read.requestId));
}

const pence = (text: string | undefined) => Number(text);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: unknown) => error as DccError,
  );

describe('critical commands: transform, sign, execute', () => {
  it('7.2 Disable Supply: CV 4 → pre-command → signed CV 5 → I99 → I0; then 7.4 reads it disabled', async () => {
    const device = meter(3);
    const disabled = await execute(SUPPLIER, device, '7.2');
    expect(disabled).toMatchObject({
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      body: { $case: 'supplyDisabled', value: { supply: SupplyState.SUPPLY_STATE_DISABLED } },
    });
    expect((await readSupply(SUPPLIER, device)).body).toMatchObject({
      $case: 'supplyStatus',
      value: { supply: SupplyState.SUPPLY_STATE_DISABLED },
    });
    expect((await execute(SUPPLIER, device, '7.3')).body).toMatchObject({
      $case: 'supplyArmed',
      value: { supply: SupplyState.SUPPLY_STATE_ARMED },
    });
  });

  it('refuses a CV 5 whose signature is not the User’s key (PERMISSION_DENIED), and nothing reaches the meter', async () => {
    const device = meter(4);
    const { cv5, ack } = await sendSigned(SUPPLIER, device, '7.2', undefined, stranger.privateKey);
    const error = await refusal(ack);
    expect(error.status).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(error.message).toMatch(/signature does not verify/);
    expect((await readSupply(SUPPLIER, device)).body).toMatchObject({
      value: { supply: SupplyState.SUPPLY_STATE_ENABLED },
    });
    expect(received.has(cv5.requestId)).toBe(false);
  });

  it('refuses a critical SRV sent with command variant 1 (E12)', async () => {
    const e12 = await refusal(client.submit(request(SUPPLIER, meter(5), '7.2', 1)));
    expect(e12.responseCode).toBe('E12');
  });

  it('after a change of supplier the meter trusts only what 6.23 installed: the gaining supplier’s own key', async () => {
    const device = meter(6);
    // Registration records the change of supplier (a feed line naming the new supplier from today).
    const line = JSON.parse(estateLines(7)[6]!) as Record<string, unknown>;
    const today = new Date().toISOString().slice(0, 10);
    line.supplier = { party: NEW_SUPPLIER, from: today };
    await loadEstateFeed(`127.0.0.1:${hub.registration!.grpcPort}`, [JSON.stringify(line)]);

    // Registration now lets the new supplier address the meter, but the meter still trusts the old supplier's
    // key: its correctly signed 7.2 passes access control (I99) and the meter refuses it.
    const early = await execute(NEW_SUPPLIER, device, '7.2');
    expect(early).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(early.detail).toMatch(/the device trusts/);

    // The gaining supplier sends 6.23; the hub's CoS party installs its own key "1" and signs the swap.
    const signingKeyPem = keys[NEW_SUPPLIER]!.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const supplier = { supplierId: NEW_SUPPLIER, signingKeyPem, mpxn: line.mpxn as string };
    const cos = request(NEW_SUPPLIER, device, '6.23', 1, await cosBody(hub.prepayment, supplier));
    expect((await client.submit(cos)).responseCode).toBe('I99');
    expect(await waitFor('the 6.23 response', () => received.get(cos.requestId))).toMatchObject({
      responseCode: 'I0',
    });

    // The old supplier no longer holds the point: refused at the hub (E4), nothing reaches the meter.
    expect((await refusal(execute(SUPPLIER, device, '7.2'))).responseCode).toBe('E4');
    expect((await readSupply(NEW_SUPPLIER, device)).body).toMatchObject({
      value: { supply: SupplyState.SUPPLY_STATE_ENABLED },
    });
    const accepted = await execute(NEW_SUPPLIER, device, '7.2');
    expect(accepted).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'supplyDisabled', value: { supply: SupplyState.SUPPLY_STATE_DISABLED } },
    });
  });
});

describe('critical prepayment and tariff commands: CV 4 → sign → CV 5', () => {
  it('1.6 to prepayment, 1.5 credits the balance, 2.1 and 2.3 configure it; 4.3 reads it all back', async () => {
    const device = meter(7);
    const mode = await execute(SUPPLIER, device, '1.6', {
      $case: 'updatePaymentMode',
      value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT },
    });
    // No credit on the meter yet: prepayment disables the supply at once.
    expect(mode, mode.detail).toMatchObject({
      responseCode: 'I0',
      body: {
        $case: 'paymentModeUpdated',
        value: {
          paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
          supply: SupplyState.SUPPLY_STATE_DISABLED,
        },
      },
    });
    expect((await readPrepay(SUPPLIER, device)).body).toMatchObject({
      $case: 'prepayValues',
      value: { paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT },
    });

    const balance = await execute(SUPPLIER, device, '1.5', {
      $case: 'updateMeterBalance',
      value: { change: { $case: 'adjustPence', value: '500' } },
    });
    expect(balance.body?.$case, balance.detail).toBe('meterBalanceUpdated');
    const credited = balance.body?.$case === 'meterBalanceUpdated' ? balance.body.value : undefined;
    expect(pence(credited?.meterBalancePence)).toBeGreaterThan(499);
    expect(pence(credited?.meterBalancePence)).toBeLessThanOrEqual(500);

    const config = await execute(SUPPLIER, device, '2.1', {
      $case: 'updatePrepayConfiguration',
      value: {
        removeDebtRecoveryCap: false,
        lowCreditThresholdPence: '300',
        debtRecoveryCapPencePerDay: '25.5',
      },
    });
    expect(config, config.detail).toMatchObject({
      responseCode: 'I0',
      body: {
        $case: 'prepayConfigurationUpdated',
        value: { lowCreditThresholdPence: '300', debtRecoveryCapPencePerDay: '25.5' },
      },
    });

    const debt = await execute(SUPPLIER, device, '2.3', {
      $case: 'updateDebt',
      value: { timeDebt1Pence: '120', timeDebt1RecoveryPencePerDay: '10' },
    });
    expect(debt, debt.detail).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'debtUpdated', value: { timeDebt1Pence: '120', timeDebt1RecoveryPencePerDay: '10' } },
    });

    const values = await readPrepay(SUPPLIER, device);
    expect(values.body).toMatchObject({
      $case: 'prepayValues',
      value: { paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT },
    });
    const read = values.body?.$case === 'prepayValues' ? values.body.value : undefined;
    expect(pence(read?.meterBalancePence)).toBeGreaterThan(499);
    expect(pence(read?.timeDebt1Pence)).toBeGreaterThan(119);
  });

  it('1.6 future-dated on the device: I0 scheduled, then 8F66 with a later answer and prepayment in force', async () => {
    const device = meter(8);
    const executionDateTimeMs = Date.now() + 2_500;
    const { cv5, ack } = await sendSigned(SUPPLIER, device, '1.6', {
      $case: 'updatePaymentMode',
      value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT, executionDateTimeMs },
    });
    expect((await ack).responseCode).toBe('I99');
    const scheduled = await waitFor('the 1.6 response', () => received.get(cv5.requestId));
    expect(scheduled, scheduled.detail).toMatchObject({
      responseCode: 'I0',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_SCHEDULED },
      body: undefined,
    });
    expect((await readPrepay(SUPPLIER, device)).body).toMatchObject({
      value: { paymentMode: PaymentMode.PAYMENT_MODE_CREDIT },
    });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, executionDateTimeMs - Date.now() + 200)));
    const later = await readPrepay(SUPPLIER, device);
    expect(later.body).toMatchObject({ value: { paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT } });
    expect(later.alerts.find((a) => a.code === '8F66')).toMatchObject({ requestId: cv5.requestId });
  });
});

const localContent = (bytes: Buffer | undefined) => {
  expect(bytes?.length).toBeGreaterThan(0);
  const wrapper = LocalCommand.decode(bytes!);
  expect(wrapper.hubMac).toHaveLength(32);
  return LocalCommandContent.decode(wrapper.content);
};

/** Long enough for a dispatched command to have reached the meter and answered. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

describe('local delivery: command variants 6 and 7 (signed), 2 and 3 (non-critical)', () => {
  it('CV 6: I0 with the countersigned LocalCommand, and nothing reaches the meter', async () => {
    const device = meter(9);
    const { cv5: cv6, ack } = await sendSigned(SUPPLIER, device, '7.2', undefined, undefined, 6);
    const answer = await ack;
    expect(answer).toMatchObject({ responseCode: 'I0', statusCode: GrpcStatus.OK });
    const content = localContent(answer.localCommand);
    expect(content).toMatchObject({
      requestId: cv6.requestId,
      serviceReferenceVariant: '7.2',
      deviceId: device,
      userId: SUPPLIER,
      commandVariant: 6,
    });
    expect(Buffer.from(content.signedPreCommand!.preCommand)).toEqual(
      Buffer.from(cv6.signedPreCommand!.preCommand),
    );
    expect(content.expiresAtMs).toBeGreaterThan(Date.now());
    await settle();
    expect((await readSupply(SUPPLIER, device)).body).toMatchObject({
      value: { supply: SupplyState.SUPPLY_STATE_ENABLED },
    });
    expect(received.has(cv6.requestId)).toBe(false);
  });

  it('CV 7: I99 with the LocalCommand, and the meter executes it too', async () => {
    const device = meter(10);
    const { cv5: cv7, ack } = await sendSigned(SUPPLIER, device, '7.2', undefined, undefined, 7);
    const answer = await ack;
    expect(answer.responseCode).toBe('I99');
    expect(localContent(answer.localCommand)).toMatchObject({ requestId: cv7.requestId, commandVariant: 7 });
    expect(await waitFor('the 7.2 response', () => received.get(cv7.requestId))).toMatchObject({
      responseCode: 'I0',
      body: { $case: 'supplyDisabled', value: { supply: SupplyState.SUPPLY_STATE_DISABLED } },
    });
    expect((await readSupply(SUPPLIER, device)).body).toMatchObject({
      value: { supply: SupplyState.SUPPLY_STATE_DISABLED },
    });
  });

  it('refuses a CV 6 whose signature is not the User’s key, as CV 5 (PERMISSION_DENIED)', async () => {
    const device = meter(11);
    const { cv5: cv6, ack } = await sendSigned(SUPPLIER, device, '7.2', undefined, stranger.privateKey, 6);
    const error = await refusal(ack);
    expect(error.status).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(error.message).toMatch(/signature does not verify/);
    expect(received.has(cv6.requestId)).toBe(false);
  });

  it('E17: a non-supplier role may not ask for local delivery (CV 6 of 6.15.1, CV 2 of 7.4)', async () => {
    const ed = (srv: string, cv: number, body?: ServiceRequest['body']) => ({
      ...request(NETWORK, meter(12), srv, cv, body),
      userRole: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
    });
    expect((await refusal(client.submit(ed('6.15.1', 6)))).responseCode).toBe('E17');
    const read = { $case: 'readSupplyStatus' as const, value: {} };
    expect((await refusal(client.submit(ed('7.4', 2, read)))).responseCode).toBe('E17');
    expect((await client.submit(ed('7.4', 1, read))).responseCode).toBe('I99');
  });

  it('CV 2 returns the request for local delivery only; CV 3 also sends it to the meter', async () => {
    const device = meter(13);
    const read = { $case: 'readSupplyStatus' as const, value: {} };
    const cv2 = request(SUPPLIER, device, '7.4', 2, read);
    const local = await client.submit(cv2);
    expect(local.responseCode).toBe('I0');
    expect(localContent(local.localCommand)).toMatchObject({
      commandVariant: 2,
      request: { serviceReferenceVariant: '7.4', body: read },
    });
    const cv3 = request(SUPPLIER, device, '7.4', 3, read);
    const both = await client.submit(cv3);
    expect(both.responseCode).toBe('I99');
    expect(localContent(both.localCommand).commandVariant).toBe(3);
    expect(await waitFor('the 7.4 response', () => received.get(cv3.requestId))).toMatchObject({
      responseCode: 'I0',
    });
    expect(received.has(cv2.requestId)).toBe(false);
  });
});
