// Critical commands end to end: CV 4 → pre-command → signed by the User → CV 5 → I99 → the meter's I0, over a
// real nats-server and real gRPC.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { DccError, GrpcStatus } from '@dcc/domain';
import {
  DeviceOutcomeKind,
  PaymentMode,
  SupplyState,
  UserRole,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { waitFor } from '@dcc/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00'; // the supplier simulated meters trust by default (key "1")
const NEW_SUPPLIER = '90-B3-D5-1F-30-04-00-00'; // gains a meter by change of supplier (6.23)
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const IS = UserRole.USER_ROLE_IMPORT_SUPPLIER;

const keys: Record<string, { privateKey: KeyObject; publicKey: KeyObject }> = {
  [SUPPLIER]: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  [NEW_SUPPLIER]: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const USERS = Object.entries(keys).map(([id, pair]) => ({
  id,
  roles: ['IS', 'GS', 'ES'],
  signingKeys: [
    { keyId: '1', publicKeyPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  ],
}));

let hub: LocalHub;
let client: HubClient;
const received = new Map<string, ServiceResponse>();
let counter = 5_000;

beforeAll(async () => {
  // Wake reminders off for the test's duration: a reminder that fires runs the meter's advance(), whose alerts
  // are dropped today, so the future-dated test's 8F66 comes with the next answer only if none fires first.
  hub = await startLocalHub({
    fleetSize: 100,
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

/** CV 4, sign (ECDSA P-256, SHA-256, DER), CV 5: resolves with the I99 acknowledgement's request. */
async function sendSigned(
  user: string,
  device: string,
  srv: string,
  body?: ServiceRequest['body'],
  signingKey = keys[user]!.privateKey,
) {
  const { cv4, preCommand } = await transform(user, device, srv, body);
  const cv5: ServiceRequest = {
    ...cv4,
    commandVariant: 5,
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

  it('refuses a critical SRV sent with command variant 1 (E12), and CV 6 as not yet available', async () => {
    const e12 = await refusal(client.submit(request(SUPPLIER, meter(5), '7.2', 1)));
    expect(e12.responseCode).toBe('E12');
    const cv6 = await refusal(client.submit(request(SUPPLIER, meter(5), '7.2', 6)));
    expect(cv6.status).toBe(GrpcStatus.UNIMPLEMENTED);
  });

  it('after 6.23 moves the meter to another supplier, the old supplier’s signed 7.2 is refused by the meter', async () => {
    const device = meter(6);
    const cos = request(SUPPLIER, device, '6.23', 1, {
      $case: 'updateSecurityCredentials',
      value: { supplierId: NEW_SUPPLIER, signingKeyId: '1', topUpFloor: '0' },
    });
    expect((await client.submit(cos)).responseCode).toBe('I99');
    expect(await waitFor('the 6.23 response', () => received.get(cos.requestId))).toMatchObject({
      responseCode: 'I0',
    });

    // Access control lets the old supplier's correctly signed command through (I99); the meter refuses it.
    const refused = await execute(SUPPLIER, device, '7.2');
    expect(refused).toMatchObject({ responseCode: '', statusCode: GrpcStatus.PERMISSION_DENIED });
    expect(refused.detail).toMatch(/the device trusts/);
    expect((await readSupply(SUPPLIER, device)).body).toMatchObject({
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
