import { DccError, GrpcStatus, requireSrv } from '@dcc/domain';
import { MeterHarness } from '@dcc/meter';
import { PaymentMode, SRV_BODIES, ServiceRequest, UserRole } from '@dcc/proto';
import { describe, expect, it } from 'vitest';
import { deviceCallOf, type DeviceCall } from './srv-params.js';

const DEVICE = '00-DB-12-00-00-00-00-2A';
const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const START = Date.UTC(2026, 2, 2, 13, 17);
const DAY_MS = 86_400_000;
const period = { startMs: START - 3 * DAY_MS, endMs: START - DAY_MS };

function request(srv: string, body: ServiceRequest['body']): ServiceRequest {
  return {
    requestId: `${SUPPLIER}:${DEVICE}:1`,
    commandVariant: 1,
    serviceReferenceVariant: srv,
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body,
  };
}

/** Through the wire and back, as access control stores it and the adapter reads it. */
const overTheWire = (r: ServiceRequest) => ServiceRequest.decode(ServiceRequest.encode(r).finish());

const harness = new MeterHarness(DEVICE as never, 0, START);
const utrn = harness.utrn(500);
const criticalMeter = new MeterHarness('00-DB-12-00-00-00-00-2B' as never, 0, START);
/** The gaining supplier's top-up KA public key as a 6.23 body carries it (SPKI DER). */
const TOP_UP_KEY = harness
  .topUpKeyPair('90-B3-D5-1F-30-02-00-00')
  .publicKey.export({ type: 'spki', format: 'der' });
const IMAGE_HASH = 'ab'.repeat(32);
const TABLE = Array.from({ length: 48 }, (_, i) => (i < 14 ? 2 : 1));

/** Each SRV: a body as a User sends it, and the parameters the device model must receive. */
const CASES: [string, ServiceRequest['body'], DeviceCall][] = [
  ['2.2', { $case: 'topUpDevice', value: { utrn } }, { params: { utrn } }],
  ['3.1', { $case: 'displayMessage', value: { message: 'Hi' } }, { params: { message: 'Hi' } }],
  [
    '3.2',
    { $case: 'restrictAccessForChangeOfTenancy', value: { restrictionDateTimeMs: period.startMs } },
    { params: { restrictionDateTimeMs: period.startMs } },
  ],
  ['4.1.1', { $case: 'readInstantaneousImportRegisters', value: {} }, {}],
  ['4.1.2', { $case: 'readInstantaneousImportTouMatrices', value: {} }, {}],
  ['4.2', { $case: 'readInstantaneousExportRegisters', value: {} }, {}],
  ['4.3', { $case: 'readInstantaneousPrepayValues', value: {} }, {}],
  ['4.6.1', { $case: 'retrieveImportDailyReadLog', value: { period } }, { params: period }],
  ['4.8.1', { $case: 'readActiveImportProfileData', value: { period } }, { params: period }],
  ['4.8.3', { $case: 'readExportProfileData', value: { period } }, { params: period }],
  ['4.10', { $case: 'readNetworkData', value: {} }, {}],
  ['4.17', { $case: 'retrieveDailyConsumptionLog', value: { period } }, { params: period }],
  ['4.18', { $case: 'readMeterBalance', value: {} }, {}],
  [
    '6.5',
    { $case: 'updateDeviceConfigurationVoltage', value: { sagV: 210.5, sagSwellPeriodS: 10 } },
    { params: { sagV: 210.5, sagSwellPeriodS: 10 } },
  ],
  [
    '6.22',
    { $case: 'configureAlertBehaviour', value: { enableAlertCodes: ['8119'], disableAlertCodes: ['810D'] } },
    { params: { enable: [0x8119], disable: [0x810d] } },
  ],
  [
    '6.23',
    {
      $case: 'updateSecurityCredentials',
      value: {
        supplierId: '90-B3-D5-1F-30-02-00-00',
        signingKeyId: '7',
        topUpFloor: '18446744073709551615',
        cosSignature: Buffer.alloc(0),
        topUpKey: TOP_UP_KEY,
      },
    },
    {
      params: {
        supplierId: '90-B3-D5-1F-30-02-00-00',
        signingKeyId: '7',
        topUpFloor: '18446744073709551615',
        topUpKey: TOP_UP_KEY.toString('base64'),
      },
    },
  ],
  ['7.4', { $case: 'readSupplyStatus', value: {} }, {}],
  ['4.15', { $case: 'readLoadLimitData', value: {} }, {}],
  ['6.4.2', { $case: 'updateDeviceConfigurationLoadLimitingCounterReset', value: {} }, {}],
  ['6.2.1', { $case: 'readDeviceConfigurationVoltage', value: {} }, {}],
  ['6.2.4', { $case: 'readDeviceConfigurationIdentityExcMpxn', value: {} }, {}],
  ['6.2.9', { $case: 'readDeviceConfigurationPaymentMode', value: {} }, {}],
  ['6.2.10', { $case: 'readDeviceConfigurationEventAndAlertBehaviours', value: {} }, {}],
  ['6.2.7', { $case: 'readDeviceConfigurationMpxn', value: {} }, {}],
  ['3.5', { $case: 'disablePrivacyPin', value: {} }, {}],
  [
    '6.20.1',
    {
      $case: 'setDeviceConfigurationImportMpxn',
      value: { importMpan: '1312345678111', secondaryImportMpan: '', importMprn: '' },
    },
    { params: { importMpan: '1312345678111' } },
  ],
  [
    '6.20.2',
    { $case: 'setDeviceConfigurationExportMpan', value: { exportMpan: '1312345678333' } },
    { params: { exportMpan: '1312345678333' } },
  ],
  [
    '3.4',
    {
      $case: 'updateSupplierName',
      value: { supplierName: 'E-ON', supplierTelephoneNumber: '0333 202 4650' },
    },
    { params: { name: 'E-ON', telephone: '0333 202 4650' } },
  ],
  ['11.2', { $case: 'readFirmwareVersion', value: {} }, {}],
  // Critical SRVs (the body travels in the signed pre-command; the harness signs as the trusted supplier).
  ['7.2', { $case: 'disableSupply', value: {} }, {}],
  ['7.3', { $case: 'armSupply', value: {} }, {}],
  ['7.1', { $case: 'enableSupply', value: {} }, {}],
  ['2.5', { $case: 'activateEmergencyCredit', value: {} }, {}],
  [
    '1.1.1',
    {
      $case: 'updateImportTariff',
      value: {
        switchingTable: TABLE,
        pricesPencePerKwh: ['30.125', '15'],
        standingChargePencePerDay: '60.5',
      },
    },
    {
      params: { switchingTable: TABLE, pricesPencePerKWh: [30.125, 15], standingChargePencePerDay: 60.5 },
    },
  ],
  [
    '1.5',
    { $case: 'updateMeterBalance', value: { change: { $case: 'adjustPence', value: '-12.345' } } },
    { params: { adjustPence: -12.345 } },
  ],
  [
    '1.6',
    { $case: 'updatePaymentMode', value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT } },
    { params: { mode: 'prepayment' } },
  ],
  [
    '2.1',
    {
      $case: 'updatePrepayConfiguration',
      value: {
        removeDebtRecoveryCap: true,
        lowCreditThresholdPence: '250',
        disablementThresholdPence: '-5.5',
      },
    },
    {
      params: {
        debtRecoveryCapPencePerDay: null,
        lowCreditThresholdPence: 250,
        disablementThresholdPence: -5.5,
      },
    },
  ],
  [
    '2.3',
    {
      $case: 'updateDebt',
      value: { timeDebt1Pence: '1000', timeDebt1RecoveryPencePerDay: '50.5', paymentDebtRecoveryPercent: 25 },
    },
    { params: { timeDebt1Pence: 1000, timeDebt1RecoveryPencePerDay: 50.5, paymentDebtRecoveryPercent: 25 } },
  ],
  [
    '6.4.1',
    { $case: 'updateDeviceConfigurationLoadLimiting', value: { thresholdW: 5000 } },
    { params: { thresholdW: 5000 } },
  ],
  ['6.11', { $case: 'synchroniseClock', value: { dateTimeMs: START } }, { params: { timeMs: START } }],
  ['8.1.1', { $case: 'commissionDevice', value: { dateTimeMs: START } }, { params: { timeMs: START } }],
  [
    '11.3',
    { $case: 'activateFirmware', value: { imageHash: IMAGE_HASH } },
    { params: { imageHash: IMAGE_HASH } },
  ],
];

describe('request body → device model parameters', () => {
  it('covers every SRV the wire protocol carries', () => {
    expect(CASES.map(([srv]) => srv).sort()).toEqual(Object.keys(SRV_BODIES).sort());
  });

  it.each(CASES)(
    '%s: round trip over the wire, and the device model accepts the result',
    (srv, body, call) => {
      const mapped = deviceCallOf(overTheWire(request(srv, body)));
      expect(mapped).toEqual(call);
      // Critical SRVs on a meter of their own (6.23 above moved this one to another supplier); emergency credit
      // exists only in prepayment mode.
      const meter = requireSrv(srv).critical ? criticalMeter : harness;
      if (srv === '2.5') meter.send('1.6', { mode: 'prepayment' });
      if (srv === '11.3') meter.meter.firmwareTransferred({ imageHash: IMAGE_HASH, version: '00000002' });
      const result = meter.send(srv as never, mapped.params as never);
      expect(result.outcome, JSON.stringify(result.rejection)).toBe('executed');
    },
  );

  it('carries a device execution date-time for 6.23', () => {
    const body: ServiceRequest['body'] = {
      $case: 'updateSecurityCredentials',
      value: {
        supplierId: SUPPLIER,
        signingKeyId: '1',
        topUpFloor: '0',
        executionDateTimeMs: START + DAY_MS,
        cosSignature: Buffer.alloc(0),
        topUpKey: TOP_UP_KEY,
      },
    };
    expect(deviceCallOf(overTheWire(request('6.23', body))).executionTimeMs).toBe(START + DAY_MS);
  });

  it('hands the CoS party’s 6.23 signature to the meter (base64), which checks it', () => {
    const body: ServiceRequest['body'] = {
      $case: 'updateSecurityCredentials',
      value: {
        supplierId: SUPPLIER,
        signingKeyId: '1',
        topUpFloor: '0',
        cosSignature: Buffer.from([1, 2, 3]),
        topUpKey: TOP_UP_KEY,
      },
    };
    expect(deviceCallOf(overTheWire(request('6.23', body))).params).toMatchObject({ cosSignature: 'AQID' });
  });

  it.each<[string, ServiceRequest['body']]>([
    [
      '1.1.1',
      {
        $case: 'updateImportTariff',
        value: {
          switchingTable: TABLE,
          pricesPencePerKwh: ['20'],
          standingChargePencePerDay: '0',
          executionDateTimeMs: START + DAY_MS,
        },
      },
    ],
    [
      '1.6',
      {
        $case: 'updatePaymentMode',
        value: { mode: PaymentMode.PAYMENT_MODE_CREDIT, executionDateTimeMs: START + DAY_MS },
      },
    ],
    [
      '2.1',
      {
        $case: 'updatePrepayConfiguration',
        value: {
          removeDebtRecoveryCap: false,
          maxMeterBalancePence: '1',
          executionDateTimeMs: START + DAY_MS,
        },
      },
    ],
    [
      '6.4.1',
      { $case: 'updateDeviceConfigurationLoadLimiting', value: { executionDateTimeMs: START + DAY_MS } },
    ],
    [
      '11.3',
      { $case: 'activateFirmware', value: { imageHash: IMAGE_HASH, executionDateTimeMs: START + DAY_MS } },
    ],
  ])('carries a device execution date-time for %s', (srv, body) => {
    expect(deviceCallOf(overTheWire(request(srv, body))).executionTimeMs).toBe(START + DAY_MS);
  });

  it('6.4.1 without a threshold switches load limiting off', () => {
    const body: ServiceRequest['body'] = { $case: 'updateDeviceConfigurationLoadLimiting', value: {} };
    expect(deviceCallOf(overTheWire(request('6.4.1', body)))).toEqual({ params: { thresholdW: null } });
  });

  it('1.5 reset', () => {
    const body: ServiceRequest['body'] = {
      $case: 'updateMeterBalance',
      value: { change: { $case: 'reset', value: true } },
    };
    expect(deviceCallOf(overTheWire(request('1.5', body)))).toEqual({ params: { reset: true } });
  });

  it('accepts an absent body for parameterless SRVs', () => {
    expect(deviceCallOf(request('4.1.1', undefined))).toEqual({});
    expect(deviceCallOf(request('11.2', undefined))).toEqual({});
  });
});

describe('bad bodies are refused with INVALID_ARGUMENT', () => {
  const refusal = (r: ServiceRequest): DccError => {
    try {
      deviceCallOf(r);
    } catch (error) {
      return error as DccError;
    }
    throw new Error('accepted');
  };

  it.each(Object.entries(SRV_BODIES).filter(([, b]) => b.required))('%s without a body', (srv) => {
    const error = refusal(request(srv, undefined));
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toMatch(new RegExp(`SRV ${srv} needs its parameters`));
  });

  it("another SRV's body", () => {
    const error = refusal(request('2.2', { $case: 'readMeterBalance', value: {} }));
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toMatch(/SRV 2.2 takes topUpDevice, not readMeterBalance/);
  });

  it('a log read without its period', () => {
    const error = refusal(
      request('4.8.1', { $case: 'readActiveImportProfileData', value: { period: undefined } }),
    );
    expect(error).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
      message: 'SRV 4.8.1: period is missing',
    });
  });

  it('an alert code that is not four hex digits', () => {
    const body: ServiceRequest['body'] = {
      $case: 'configureAlertBehaviour',
      value: { enableAlertCodes: [], disableAlertCodes: ['0x810D'] },
    };
    expect(refusal(request('6.22', body)).message).toMatch(/not an alert code of four hex digits/);
  });

  it('money that is not a decimal string of pence', () => {
    const body: ServiceRequest['body'] = {
      $case: 'updateDebt',
      value: { timeDebt2Pence: '1.2345' },
    };
    expect(refusal(request('2.3', body))).toMatchObject({
      status: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringMatching(/time_debt_2_pence holds "1.2345", not pence/),
    });
    const comma: ServiceRequest['body'] = {
      $case: 'updateMeterBalance',
      value: { change: { $case: 'adjustPence', value: '1,5' } },
    };
    expect(refusal(request('1.5', comma)).message).toMatch(/adjust_pence holds "1,5"/);
  });

  it('1.5 without a change, 1.6 without a mode, 2.1 with both a cap and its removal', () => {
    expect(
      refusal(request('1.5', { $case: 'updateMeterBalance', value: { change: undefined } })).message,
    ).toMatch(/either adjust_pence or reset/);
    expect(
      refusal(
        request('1.6', { $case: 'updatePaymentMode', value: { mode: PaymentMode.PAYMENT_MODE_UNSPECIFIED } }),
      ).message,
    ).toMatch(/mode must be credit or prepayment/);
    const both: ServiceRequest['body'] = {
      $case: 'updatePrepayConfiguration',
      value: { removeDebtRecoveryCap: true, debtRecoveryCapPencePerDay: '10' },
    };
    expect(refusal(request('2.1', both)).status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });

  it('an SRV the model does not know passes through, for the model to answer UNIMPLEMENTED', () => {
    expect(deviceCallOf(request('9.9', undefined))).toEqual({});
  });

  it('values the model checks are refused by it, naming the field', () => {
    const mapped = deviceCallOf(request('3.1', { $case: 'displayMessage', value: { message: '' } }));
    expect(() => harness.send('3.1', mapped.params as never)).toThrow(/SRV 3.1: message must be a string/);
  });
});
