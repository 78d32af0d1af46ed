// The prepayment SRVs end to end over a real nats-server and real gRPC: each sent with a body equivalent to its
// DUIS sample (duis-templates, DUIS-TEMPLATES.md) to an ESME of the estate, answered I0 or refused as
// documented (docs/prepayment-srvs.md). DUIS currency integers (10^-5 GBP) are written as pence with three
// decimals: 1200000 → "1200". The estate has no GSME the adapters can reach, so the GCS samples are not sent.
import { generateKeyPairSync } from 'node:crypto';
import { GrpcStatus } from '@dcc/domain';
import {
  DayOfWeek,
  DebtRecoveryRatePeriod,
  ElectricityNonDisablementCalendar,
  NonDisablementAction,
  PrepayConfigFuel,
  DeviceOutcomeKind,
  PaymentMode,
  SupplyState,
  type ServiceRequest,
  type ServiceResponse,
} from '@dcc/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubClient, startLocalHub, UserSession, type LocalHub } from '../src/index.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const meter = (i: number) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`;
const DAILY = DebtRecoveryRatePeriod.DEBT_RECOVERY_RATE_PERIOD_DAILY;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const USERS = [
  {
    id: SUPPLIER,
    roles: ['IS', 'GS', 'ES'],
    signingKeys: [
      { keyId: '1', publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    ],
  },
];

let hub: LocalHub;
let client: HubClient;
let supplier: UserSession;

beforeAll(async () => {
  hub = await startLocalHub({
    meters: 20,
    env: { USERS: JSON.stringify(USERS), REMINDER_TICK_MS: '3600000' },
  });
  client = new HubClient(hub.address);
  supplier = new UserSession(client, SUPPLIER, key.privateKey);
});

afterAll(async () => {
  client.close();
  await hub.stop();
});

const [START, STOP] = [
  NonDisablementAction.NON_DISABLEMENT_ACTION_START,
  NonDisablementAction.NON_DISABLEMENT_ACTION_STOP,
];
const WEEKEND = [DayOfWeek.DAY_OF_WEEK_SATURDAY, DayOfWeek.DAY_OF_WEEK_SUNDAY];
const WEEKDAYS = [1, 2, 3, 4, 5] as DayOfWeek[];
const at = (h: number, m = 0) => (h * 60 + m) * 60_000;
/** A DUIS ScheduleDatesAndTime date: year 65535 (every year) is an absent year. */
const day = (month: number, dayOfMonth: number, year?: number) => ({ year, month, dayOfMonth });
type Schedule = ElectricityNonDisablementCalendar['schedules'][number];
const schedule = (
  script: NonDisablementAction,
  switchTimeMs: number,
  [startDate, endDate]: [Schedule['startDate'], Schedule['endDate']],
  daysOfWeek: DayOfWeek[],
  specialDayIds: number[] = [],
): Schedule => ({ script, switchTimeMs, startDate, endDate, daysOfWeek, specialDayIds });
const seasonSchedules = (dates: [Schedule['startDate'], Schedule['endDate']]) => [
  schedule(START, 0, dates, WEEKEND),
  schedule(STOP, at(9, 30), dates, WEEKEND),
  schedule(START, at(22), dates, WEEKEND),
  schedule(START, 0, dates, WEEKDAYS),
  schedule(STOP, at(7, 30), dates, WEEKDAYS),
  schedule(START, at(20), dates, WEEKDAYS),
];

/** ECS08_2.1_IMMEDIATE, field for field: the amounts and the ElectricityNonDisablementCalendar. */
const ECS08_CALENDAR: ElectricityNonDisablementCalendar = {
  specialDays: [day(7, 29), day(8, 25), day(9, 6), day(10, 5), day(8, 15)].map((date, i) => ({
    index: i + 1,
    date,
  })),
  schedules: [
    ...seasonSchedules([day(10, 27, 2014), day(3, 28, 2015)]),
    ...seasonSchedules([day(4, 29), day(7, 25)]),
    schedule(START, 0, [day(7, 26), day(8, 31)], [], [1, 2, 5]),
    schedule(STOP, at(19), [day(7, 26), day(8, 31)], [], [1, 2, 5]),
    schedule(START, at(1, 15), [day(9, 1), day(10, 26)], [], [3, 4]),
    schedule(STOP, at(18, 45), [day(9, 1), day(10, 26)], [], [3, 4]),
  ],
};
const ECS08: ServiceRequest['body'] = {
  $case: 'updatePrepayConfiguration',
  value: {
    removeDebtRecoveryCap: false,
    debtRecoveryCapPencePerDay: '0.03',
    emergencyCreditLimitPence: '300',
    emergencyCreditThresholdPence: '100',
    lowCreditThresholdPence: '200',
    maxMeterBalancePence: '5000',
    maxCreditThresholdPence: '1000',
    fuel: PrepayConfigFuel.PREPAY_CONFIG_FUEL_ELECTRICITY,
    electricityCalendar: ECS08_CALENDAR,
  },
};

/** ECS04a_1.5: PrepaymentMode / AdjustMeterBalance 1200000. */
const ECS04a: ServiceRequest['body'] = {
  $case: 'updateMeterBalance',
  value: {
    change: { $case: 'adjustPence', value: '1200' },
    balanceMode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
  },
};

/** ECS07_2.3: the registers, DebtRecoveryPerPayment and both ElecDebtRecovery rates. */
const ECS07: ServiceRequest['body'] = {
  $case: 'updateDebt',
  value: {
    timeDebt1Pence: '30',
    timeDebt2Pence: '15',
    paymentDebtPence: '50',
    debtRecoveryPerPayment: 1000,
    timeDebt1RecoveryRate: { rate: 3, priceScale: -1, period: DAILY },
    timeDebt2RecoveryRate: { rate: 15, priceScale: -1, period: DAILY },
  },
};

/** ECS03_1.6: Prepayment with SuspendDebtDisabled, SuspendDebtEmergency, DisablementThreshold 556677. */
const ecs03 = (executionDateTimeMs?: number): ServiceRequest['body'] => ({
  $case: 'updatePaymentMode',
  value: {
    mode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
    suspendDebtDisabled: true,
    suspendDebtEmergency: false,
    disablementThresholdPence: '556.677',
    executionDateTimeMs,
  },
});

const executed = (response: ServiceResponse, srv: string) => {
  expect(response, JSON.stringify(response.deviceOutcome)).toMatchObject({
    responseCode: 'I0',
    statusCode: GrpcStatus.OK,
    serviceReferenceVariant: srv,
    deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_EXECUTED },
  });
  return response.body;
};

const critical = async (device: string, srv: string, body?: ServiceRequest['body']) =>
  supplier.answer(await supplier.sendCritical(device, srv, body));
const read = async (device: string, srv: string, body: ServiceRequest['body']) =>
  supplier.answer(await supplier.send(device, srv, body));

describe('prepayment SRVs with DUIS sample bodies on an ESME in credit mode', () => {
  const device = meter(2);
  const period = { startMs: Date.now() - 7 * 86_400_000, endMs: Date.now() + 86_400_000 };

  it('2.1 (ECS08) is accepted in credit mode and stored; 4.13 (ECS26a) reads it back', async () => {
    expect(executed(await critical(device, '2.1', ECS08), '2.1')).toMatchObject({
      $case: 'prepayConfigurationUpdated',
      value: {
        debtRecoveryCapPencePerDay: '0.03',
        emergencyCreditLimitPence: '300',
        maxMeterBalancePence: '5000',
      },
    });
    expect(
      executed(await read(device, '4.13', { $case: 'readPrepaymentConfiguration', value: {} }), '4.13'),
    ).toMatchObject({
      $case: 'prepaymentConfiguration',
      value: {
        paymentMode: PaymentMode.PAYMENT_MODE_CREDIT,
        configuration: { lowCreditThresholdPence: '200', maxCreditThresholdPence: '1000' },
        electricityCalendar: ECS08_CALENDAR,
      },
    });
  });

  it('1.5 (ECS04a) adjusts the balance; 2.3 (ECS07) sets the debts in DUIS units; 4.18 (ECS82) reads it', async () => {
    expect(executed(await critical(device, '1.5', ECS04a), '1.5')).toMatchObject({
      $case: 'meterBalanceUpdated',
      value: { meterBalancePence: '1200', paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT },
    });
    expect(executed(await critical(device, '2.3', ECS07), '2.3')).toEqual({
      $case: 'debtUpdated',
      value: {
        timeDebt1Pence: '30',
        timeDebt2Pence: '15',
        paymentDebtPence: '50',
        timeDebt1RecoveryPencePerDay: '0.3',
        timeDebt2RecoveryPencePerDay: '1.5',
        paymentDebtRecoveryPercent: 10,
      },
    });
    expect(
      executed(await read(device, '4.18', { $case: 'readMeterBalance', value: {} }), '4.18'),
    ).toMatchObject({
      $case: 'meterBalance',
      value: { meterBalancePence: '1200', paymentMode: PaymentMode.PAYMENT_MODE_CREDIT },
    });
  });

  it('2.5 (ECS09) on a credit-mode meter: refused by the device (no emergency credit in credit mode)', async () => {
    const refused = await critical(device, '2.5');
    expect(refused).toMatchObject({
      responseCode: '',
      statusCode: GrpcStatus.FAILED_PRECONDITION,
      deviceOutcome: {
        kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED,
        rejectionReason: 'WRONG_PAYMENT_MODE',
      },
    });
  });

  it('1.6 (ECS03 immediate) switches to prepayment with the threshold and suspensions; 4.3 (ECS19) reads it', async () => {
    expect(executed(await critical(device, '1.6', ecs03()), '1.6')).toEqual({
      $case: 'paymentModeUpdated',
      value: {
        paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
        supply: SupplyState.SUPPLY_STATE_ENABLED,
        disablementThresholdPence: '556.677',
        suspendDebtDisabled: true,
        suspendDebtEmergency: false,
      },
    });
    const values = executed(
      await read(device, '4.3', { $case: 'readInstantaneousPrepayValues', value: {} }),
      '4.3',
    );
    expect(values).toMatchObject({
      $case: 'prepayValues',
      value: { paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT, paymentDebtPence: '50' },
    });
  });

  it('2.2 then 4.4.5 (ECS20d) and 4.4.4 (ECS20a): the credit and the debt it paid; 4.14 (ECS21b URP) answers', async () => {
    const utrn = hub.prepayment.utrn({
      supplierId: SUPPLIER,
      deviceId: device,
      counter: 3n << 32n,
      pence: 400,
    });
    executed(await read(device, '2.2', { $case: 'topUpDevice', value: { utrn } }), '2.2');
    const credits = executed(
      await read(device, '4.4.5', { $case: 'retrieveBillingDataLogPrepaymentCredits', value: { period } }),
      '4.4.5',
    );
    expect(
      credits?.$case === 'prepaymentCreditsLog' && credits.value.entries.map((e) => e.creditPence),
    ).toEqual(['400']);
    const debts = executed(
      await read(device, '4.4.4', { $case: 'retrieveBillingDataLogDebtPayments', value: { period } }),
      '4.4.4',
    );
    expect(debts?.$case === 'debtPaymentsLog' && debts.value.entries).toEqual([
      expect.objectContaining({ recoveredPence: '40', paymentDebtAfterPence: '10' }),
    ]);
    const daily = executed(
      await read(device, '4.14', {
        $case: 'readPrepaymentDailyReadLog',
        value: { period, kaPublicSecurityCredentials: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
      }),
      '4.14',
    );
    // The meter switched to prepayment moments ago: no midnight has passed in prepayment mode yet.
    expect(daily).toEqual({
      $case: 'prepaymentDailyReadLog',
      value: { entries: [], kaPublicSecurityCredentials: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
    });
  });
});

describe('prepayment SRVs: emergency credit, future dating and refusals before I99', () => {
  it('2.5 (ECS09) on a prepayment meter without credit: I0, emergency credit active, supply armed', async () => {
    const device = meter(3);
    executed(await critical(device, '1.6', { $case: 'updatePaymentMode', value: { mode: 2 } }), '1.6');
    const response = await critical(device, '2.5');
    expect(executed(response, '2.5')).toMatchObject({
      $case: 'emergencyCreditActivated',
      value: { emergencyCreditActive: true },
    });
    expect(response.alerts.map((a) => a.code)).toEqual(expect.arrayContaining(['81AB', '8168']));
  });

  it('1.6 (ECS03 future-dated, 2030-01-15T09:00Z) is held by the device: I0, scheduled; the CANCELLATION sample (3000-12-31) cancels it', async () => {
    const response = await critical(meter(4), '1.6', ecs03(Date.UTC(2030, 0, 15, 9)));
    expect(response).toMatchObject({
      responseCode: 'I0',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_SCHEDULED },
    });
    const cancelled = await critical(meter(4), '1.6', ecs03(Date.UTC(3000, 11, 31)));
    expect(cancelled).toMatchObject({
      responseCode: 'I0',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_CANCELLED },
    });
  });

  it('2.1 (ECS08 future-dated) on a credit-mode meter is held by the device: I0, scheduled', async () => {
    const body = ECS08!.$case === 'updatePrepayConfiguration' ? ECS08.value : undefined;
    const response = await critical(meter(6), '2.1', {
      $case: 'updatePrepayConfiguration',
      value: { ...body!, executionDateTimeMs: Date.UTC(2030, 0, 15, 9) },
    });
    expect(response).toMatchObject({
      responseCode: 'I0',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_SCHEDULED },
    });
  });

  it('bodies the hub can judge without the device are refused INVALID_ARGUMENT before anything is stored', async () => {
    const refuse = (srv: string, cv: number, body: ServiceRequest['body']) =>
      client.refusal(supplier.request(meter(5), srv, cv, body));
    const weekly = {
      $case: 'updateDebt' as const,
      value: { timeDebt1RecoveryRate: { rate: 1, priceScale: 0, period: 3 } },
    };
    expect(await refuse('2.3', 4, weekly)).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringMatching(/thousandths of a penny per day/),
    });
    const creditWithThreshold: ServiceRequest['body'] = {
      $case: 'updatePaymentMode',
      value: { mode: PaymentMode.PAYMENT_MODE_CREDIT, disablementThresholdPence: '1' },
    };
    expect(await refuse('1.6', 4, creditWithThreshold)).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
    });
    const spaces: ServiceRequest['body'] = {
      $case: 'readPrepaymentDailyReadLog',
      value: { period: { startMs: 0, endMs: 86_400_000 }, kaPublicSecurityCredentials: 'not a key' },
    };
    expect(await refuse('4.14', 1, spaces)).toMatchObject({ status: GrpcStatus.INVALID_ARGUMENT });
    // 4.14 reads at most 731 days (the billing data logs 4.4.4 and 4.4.5 any period: their log bounds the answer).
    const tooLong: ServiceRequest['body'] = {
      $case: 'readPrepaymentDailyReadLog',
      value: { period: { startMs: 0, endMs: 800 * 86_400_000 }, kaPublicSecurityCredentials: '' },
    };
    expect(await refuse('4.14', 1, tooLong)).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringMatching(/longer than 731 days/),
    });
  });
});
