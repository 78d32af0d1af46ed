import { GrpcStatus, requireSrv } from '@dcc/domain';
import {
  DEFAULT_SUB_GHZ_CONFIG,
  MeterHarness,
  TEST_ACB_CA,
  TEST_ACB_KA_CERTIFICATE,
  type SupportedSrv,
} from '@dcc/meter';
import {
  DeviceOutcomeKind,
  PaymentMode,
  SRV_BODIES,
  ServiceResponse,
  SupplyState,
  UserRole,
  UtrnValueClass,
  type ServiceRequest,
} from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { penceString, responseOf } from './srv-results.js';

const DEVICE = '00-DB-12-00-00-00-00-2A';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 2, 13, 17);
const DAY_MS = 86_400_000;
const period = { startMs: START - 3 * DAY_MS, endMs: START - DAY_MS };

const request = (srv: string, counter: number): ServiceRequest => ({
  requestId: `${SUPPLIER}:${DEVICE}:${counter}`,
  commandVariant: 1,
  serviceReferenceVariant: srv,
  userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  body: undefined,
});

/** Through the wire and back, as the User receives it. */
const overTheWire = (r: ServiceResponse) => ServiceResponse.decode(ServiceResponse.encode(r).finish());

describe('device result → ServiceResponse', () => {
  const harness = new MeterHarness(DEVICE as never, 0, START);
  const utrn = harness.utrn(750);
  const PARAMS: Record<string, unknown> = {
    '2.2': { utrn },
    '3.1': { message: 'Hi' },
    '3.4': { name: 'E-ON', telephone: '0333 202 4650' },
    '6.20.1': { importMpan: '1312345678111' },
    '6.20.2': { exportMpan: '1312345678333' },
    '3.2': { restrictionDateTimeMs: period.startMs },
    '4.6.1': period,
    '4.8.1': period,
    '4.8.3': period,
    '4.8.2': period,
    '4.17': period,
    '4.14': period,
    '4.4.4': period,
    '4.4.5': period,
    '6.5': { sagV: 210 },
    '6.22': { disable: [0x810d] },
    '6.23': { supplierId: SUPPLIER, signingKeyId: '1', topUpFloor: '0' },
    '6.21': {
      role: 'networkOperator',
      floorSeq: '0',
      signingCertificate: TEST_ACB_KA_CERTIFICATE,
      keyAgreementCertificate: TEST_ACB_KA_CERTIFICATE,
      certificationPath: [TEST_ACB_CA],
      timeBasedChecks: true,
    },
    '8.5': {
      acbFloorSeq: '0',
      certificate: TEST_ACB_KA_CERTIFICATE,
      certificationPath: [TEST_ACB_CA],
      timeBasedChecks: true,
    },
    '7.9': { switches: [{ switchIndex: 1, selected: true }] },
    '7.10': { switches: [{ switchIndex: 1, selected: true }] },
    '7.11': { period },
    '6.13': { log: 'event', ...period },
    '3.3': { esmeLog: 'event' },
    '6.18.1': { startS: 61_200, endS: 79_200 },
    '6.18.2': { registers: ['import'] },
    '6.12': { lowMediumW: 2300, mediumHighW: 4600 },
    '4.4.3': period,
    '4.6.2': period,
    '4.4.2': period,
    '8.7.2': { otherDeviceId: '00-DB-12-34-56-78-90-9A' },
    '8.8.2': { otherDeviceId: '00-DB-12-34-56-78-90-9A' },
    '8.9': { securityDetails: true },
    '8.11': { deviceId: '00-DB-12-34-56-78-90-9A', remove: true },
    '8.12.1': {
      oldChfId: '00-DB-12-34-56-78-90-95',
      savedEntries: [{ deviceId: '00-DB-12-34-56-78-90-9A', deviceType: 'PPMID' }],
    },
    '8.12.2': {
      oldGpfId: '00-DB-12-34-56-78-90-96',
      savedEntries: [{ deviceId: '00-DB-12-34-56-78-90-9A', deviceType: 'PPMID' }],
    },
    '6.28': { ...DEFAULT_SUB_GHZ_CONFIG, upperBandChannels0To26: [2] },
    '6.32': period,
    '6.24.1': { remotePartyRoles: ['supplier', 'networkOperator'] },
  };
  // The gas meter's own SRVs go to a GSME.
  const gasMeter = new MeterHarness(DEVICE as never, 0, START, { deviceType: 'GSME' });
  /** What an ESME does not take (8.11, 6.28-6.32) is answered by a CHF. */
  const chf = new MeterHarness('00-DB-12-00-00-00-00-2C' as never, 0, START, { deviceType: 'CHF' });
  /** 8.12.2 restores a GPF's log. */
  const gpf = new MeterHarness('00-DB-12-00-00-00-00-2E' as never, 0, START, { deviceType: 'GPF' });
  let counter = 1;
  const answer = (srv: string) => {
    const { deviceTypes } = requireSrv(srv);
    // 8.5 opts its device out and 6.21 hands a role over (it refuses the DCC's commands afterwards): a meter of
    // its own.
    const meter =
      srv === '8.5' || srv === '6.21'
        ? new MeterHarness('00-DB-12-00-00-00-00-2D' as never, 0, START)
        : deviceTypes.includes('ESME')
          ? harness
          : deviceTypes.includes('CHF')
            ? chf
            : deviceTypes.includes('GPF') && !deviceTypes.includes('GSME')
              ? gpf
              : gasMeter;
    const result = meter.send(srv as SupportedSrv, PARAMS[srv] as never);
    return overTheWire(responseOf(request(srv, counter++), result, START));
  };

  const nonCritical = Object.entries(SRV_BODIES).filter(([srv]) => !requireSrv(srv).critical);
  it.each(nonCritical)('%s: I0 with the SRV’s own body case', (srv, bodies) => {
    const response = answer(srv);
    expect(response).toMatchObject({
      responseCode: 'I0',
      statusCode: GrpcStatus.OK,
      serviceReferenceVariant: srv,
      responseId: `${DEVICE}:${SUPPLIER}:${counter - 1}`,
      detail: '',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_EXECUTED, rejectionReason: '' },
    });
    expect(response.body?.$case).toBe(bodies.response);
  });

  it('critical SRVs (signed): 7.2, 7.3, 7.1 and 2.5 answer with their own body case', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-00-2B' as never, 0, START);
    const run = (srv: string, params?: unknown) =>
      overTheWire(
        responseOf(request(srv, counter++), meter.send(srv as SupportedSrv, params as never), START),
      );
    expect(run('7.2').body).toMatchObject({
      $case: 'supplyDisabled',
      value: { supply: SupplyState.SUPPLY_STATE_DISABLED },
    });
    expect(run('7.3').body).toMatchObject({
      $case: 'supplyArmed',
      value: { supply: SupplyState.SUPPLY_STATE_ARMED },
    });
    expect(run('7.1').body).toMatchObject({
      $case: 'supplyEnabled',
      value: { supply: SupplyState.SUPPLY_STATE_ENABLED },
    });
    meter.send('1.6', { mode: 'prepayment' });
    const ec = run('2.5');
    expect(ec.detail).toBe('');
    expect(ec.body).toMatchObject({
      $case: 'emergencyCreditActivated',
      value: { paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT, emergencyCreditActive: true },
    });
  });

  it('critical SRVs (signed): 1.1.1, 1.5, 1.6, 2.1, 2.3, 6.4.1, 6.11, 8.1.1 and 11.3 map their answers', () => {
    const meter = new MeterHarness('00-DB-12-00-00-00-00-2C' as never, 0, START);
    const run = (srv: string, params?: unknown) =>
      overTheWire(
        responseOf(request(srv, counter++), meter.send(srv as SupportedSrv, params as never), START),
      ).body;
    const table = Array.from({ length: 48 }, (_, i) => (i < 14 ? 2 : 1));
    expect(
      run('1.1.1', { switchingTable: table, pricesPencePerKWh: [30.125, 15], standingChargePencePerDay: 60 }),
    ).toEqual({
      $case: 'importTariffUpdated',
      value: {
        switchingTable: table,
        pricesPencePerKwh: ['30.125', '15'],
        standingChargePencePerDay: '60',
        effectiveFromMs: START,
      },
    });
    // No credit yet: prepayment disables the supply at once.
    expect(run('1.6', { mode: 'prepayment' })).toEqual({
      $case: 'paymentModeUpdated',
      value: {
        paymentMode: PaymentMode.PAYMENT_MODE_PREPAYMENT,
        supply: SupplyState.SUPPLY_STATE_DISABLED,
        disablementThresholdPence: '0',
        suspendDebtDisabled: false,
        suspendDebtEmergency: false,
      },
    });
    expect(run('1.5', { adjustPence: 1234.5 })).toMatchObject({
      $case: 'meterBalanceUpdated',
      value: { meterBalancePence: '1234.5', meterTimeMs: START },
    });
    const config = run('2.1', { debtRecoveryCapPencePerDay: null, lowCreditThresholdPence: 250.5 });
    expect(config).toMatchObject({
      $case: 'prepayConfigurationUpdated',
      value: { lowCreditThresholdPence: '250.5' },
    });
    expect(config?.$case === 'prepayConfigurationUpdated' && config.value.debtRecoveryCapPencePerDay).toBe(
      undefined,
    );
    expect(run('2.1', { debtRecoveryCapPencePerDay: 20 })).toMatchObject({
      value: { debtRecoveryCapPencePerDay: '20' },
    });
    expect(run('2.3', { timeDebt1Pence: 99.999, paymentDebtRecoveryPercent: 12.5 })).toMatchObject({
      $case: 'debtUpdated',
      value: { timeDebt1Pence: '99.999', paymentDebtPence: '0', paymentDebtRecoveryPercent: 12.5 },
    });
    expect(run('6.4.1', { thresholdW: 7_000 })).toEqual({
      $case: 'loadLimitingConfigured',
      value: { thresholdW: 7_000, counter: 0, meterTimeMs: START },
    });
    const off = run('6.4.1', { thresholdW: null });
    expect(off?.$case === 'loadLimitingConfigured' && off.value.thresholdW).toBe(undefined);
    expect(run('6.11', { timeMs: START + 60_000, toleranceS: 60 })).toEqual({
      $case: 'clockSynchronised',
      value: { meterTimeMs: START + 60_000, clockOffsetMs: 60_000, commissioned: true },
    });
    expect(run('8.1.1', { timeMs: START, toleranceS: 60 })).toEqual({
      $case: 'deviceCommissioned',
      value: { meterTimeMs: START, clockOffsetMs: 0, commissioned: true },
    });
    const imageHash = 'cd'.repeat(32);
    meter.meter.firmwareTransferred({ imageHash, version: '00000009' });
    expect(run('11.3', { imageHash })).toEqual({
      $case: 'firmwareActivated',
      value: { version: '00000009', pendingImageVersion: '' },
    });
  });

  it('maps values: money as decimal pence, enums, alert codes as hex, counters as decimal', () => {
    const more = harness.utrn(1_000);
    const topUp = overTheWire(
      responseOf(request('2.2', counter++), harness.send('2.2', { utrn: more }), START),
    );
    expect(topUp.body).toEqual({
      $case: 'topUp',
      value: {
        creditedPence: '1000',
        valueClass: UtrnValueClass.UTRN_VALUE_CLASS_PENNIES,
        counter: (2n << 32n).toString(),
        meterBalancePence: '1750',
        supply: SupplyState.SUPPLY_STATE_ENABLED,
      },
    });
    const prepay = answer('4.3');
    expect(prepay.body).toMatchObject({
      $case: 'prepayValues',
      value: { paymentMode: PaymentMode.PAYMENT_MODE_CREDIT, meterBalancePence: '1750' },
    });
    expect(answer('6.22').body).toEqual({
      $case: 'alertConfiguration',
      value: {
        disabledAlertCodes: ['810D'],
        disabledHanAlertCodes: [],
        disabledAlarmCodes: [],
        disabledEventLogCodes: [],
      },
    });
    const read = answer('4.1.1');
    expect(read.body?.$case === 'importRegisters' && read.body.value.touActiveImportWh).toHaveLength(2);
  });

  it('a device rejection is a failure with the device’s reason, message and alert', () => {
    const result = harness.send('2.2', { utrn });
    const response = overTheWire(responseOf(request('2.2', counter++), result, START));
    expect(response).toMatchObject({
      responseCode: '',
      statusCode: GrpcStatus.FAILED_PRECONDITION,
      deviceOutcome: {
        kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED,
        rejectionReason: 'UTRN_DUPLICATE',
      },
      body: undefined,
    });
    expect(response.detail).toMatch(/already used/);
    expect(response.alerts).toEqual([{ code: '8F51', atMs: result.meterTimeMs, requestId: '' }]);
  });

  it('a device future-dated command: I0, scheduled, no body; its outcome comes later as 8F66', () => {
    const at = harness.clock.ms + 60_000;
    const scheduled = harness.send(
      '6.23',
      { supplierId: SUPPLIER, signingKeyId: '1', topUpFloor: '0' },
      { executionTimeMs: at },
    );
    const response = overTheWire(responseOf(request('6.23', counter++), scheduled, START));
    expect(response).toMatchObject({
      responseCode: 'I0',
      deviceOutcome: { kind: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_SCHEDULED },
      body: undefined,
    });
    harness.clock.advance(120_000);
    const later = answer('7.4');
    expect(later.alerts.map((a) => a.code)).toContain('8F66');
    expect(later.alerts.find((a) => a.code === '8F66')?.requestId).toMatch(/^90-B3-D5-1F-30-01-00-00:/);
  });
});

describe('penceString', () => {
  it.each([
    [0, '0'],
    [500, '500'],
    [12.5, '12.5'],
    [-0.001, '-0.001'],
    [1234.567, '1234.567'],
    [0.1 + 0.2, '0.3'],
    [-250.05, '-250.05'],
  ])('%d → %s', (pence, text) => {
    expect(penceString(pence)).toBe(text);
  });
});
