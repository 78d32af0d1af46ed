import { checkRequestBody, gbcsCheckDigit, PPTD_OFFSET, SRV_TABLE } from '@dcc/domain';
import { describe, expect, it } from 'vitest';
import { ChfSubGhzConfiguration } from './gen/dcc/v1/chf_sub_ghz.js';
import { PaymentMode } from './gen/dcc/v1/device_srv_results.js';
import { ConfigureAlertBehaviour, UpdateSecurityCredentials } from './gen/dcc/v1/device_srv_params.js';
import {
  HandoverRemotePartyRole,
  RequestHandoverOfDccControlledDevice,
} from './gen/dcc/v1/device_handover.js';
import { GasSupplyStateChange } from './gen/dcc/v1/gas_srvs.js';
import { HanDeviceLogRequestType } from './gen/dcc/v1/han_device_management.js';
import { ServiceRequest } from './gen/dcc/v1/service_request.js';
import { SRV_BODIES, srvBodiesOf } from './srv-bodies.js';
import { GSME_BLOCK_TARIFF, TARIFF_BODIES } from './tariff-examples.js';

const DAY_MS = 86_400_000;
const period = { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 1) + DAY_MS };
const pptd = (PPTD_OFFSET + (5n << 32n)).toString();
const OTHER_DEVICE = '00-DB-12-34-56-78-90-9A';

/**
 * A valid body for every SRV whose entry has rules, as the wire carries it. Each goes through the generated
 * codec, so a rule naming a field the .proto does not have (or numbering an enum differently) fails here.
 */
const timing = { specialDayIndexes: [1], daysOfWeek: [], switchTimeMs: 0, startDate: {}, endDate: {} };
const specialDays = [{ index: 1, date: { month: 12, dayOfMonth: 25 } }];
const level = { auxiliaryControllerN: 5, startDateTimeMs: 0, endDateTimeMs: 1, commandedStateLevel: 50 };
const AUX_LOAD_VALID: Record<string, ServiceRequest['body']> = {
  '6.14.1': {
    $case: 'updateDeviceConfigurationAlcDescriptions',
    value: { descriptions: [{ switchIndex: 5, description: 'Heat pump' }] },
  },
  '6.14.2': {
    $case: 'updateDeviceConfigurationAlcScheduler',
    value: { schedules: [{ switchIndex: 1, activate: true, timing }], specialDays, switchTypes: [] },
  },
  '6.14.3': {
    $case: 'updateDeviceConfigurationAuxiliaryControllerScheduler',
    value: {
      schedules: [{ auxiliaryControllerN: 1, commandedStateLevel: 0, inputFromControlledLoad: true, timing }],
      specialDays,
    },
  },
  '7.5': { $case: 'activateAuxiliaryLoad', value: { switchIndex: 1, durationMinutes: 1 } },
  '7.6': { $case: 'deactivateAuxiliaryLoad', value: { switchIndex: 5, durationMinutes: 65_535 } },
  '7.8': { $case: 'resetAuxiliaryLoad', value: { switchIndex: 2 } },
  '7.9': {
    $case: 'addAuxiliaryLoadToBoostButton',
    value: { switches: [{ switchIndex: 1, selected: true }] },
  },
  '7.10': {
    $case: 'removeAuxiliaryLoadFromBoostButton',
    value: { switches: [{ switchIndex: 4, selected: false }] },
  },
  '7.11': { $case: 'readBoostButtonDetails', value: { period } },
  '7.12': { $case: 'setRandomisedOffsetLimit', value: { randomisedOffsetLimitS: 0 } },
  '7.13': { $case: 'setAuxiliaryControllerState', value: { ...level, inputFromControlledLoad: false } },
  '7.16': { $case: 'limitApcLevel', value: { ...level, inputFromControlledLoad: true } },
};

const VALID: Record<string, ServiceRequest['body']> = {
  '1.1.1': {
    $case: 'updateImportTariff',
    value: {
      switchingTable: Array<number>(48).fill(1),
      pricesPencePerKwh: ['24.5'],
      standingChargePencePerDay: '45',
      executionDateTimeMs: period.startMs,
    },
  },
  '1.5': { $case: 'updateMeterBalance', value: { change: { $case: 'adjustPence', value: '-100' } } },
  '1.6': {
    $case: 'updatePaymentMode',
    value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT, executionDateTimeMs: undefined },
  },
  '2.1': {
    $case: 'updatePrepayConfiguration',
    value: { removeDebtRecoveryCap: false, lowCreditThresholdPence: '200' },
  },
  '2.2': { $case: 'topUpDevice', value: { utrn: pptd + gbcsCheckDigit(pptd) } },
  '2.3': { $case: 'updateDebt', value: { paymentDebtRecoveryPercent: 50 } },
  '3.1': { $case: 'displayMessage', value: { message: 'Hello' } },
  '3.4': {
    $case: 'updateSupplierName',
    value: { supplierName: 'E-ON', supplierTelephoneNumber: '0333 202 4650' },
  },
  '6.20.1': {
    $case: 'setDeviceConfigurationImportMpxn',
    value: { importMpan: '', secondaryImportMpan: '', importMprn: '1234567890' },
  },
  '6.20.2': { $case: 'setDeviceConfigurationExportMpan', value: { exportMpan: '1312345678333' } },
  '3.2': { $case: 'restrictAccessForChangeOfTenancy', value: { restrictionDateTimeMs: period.startMs } },
  '4.6.1': { $case: 'retrieveImportDailyReadLog', value: { period } },
  '4.8.1': { $case: 'readActiveImportProfileData', value: { period } },
  '4.8.3': { $case: 'readExportProfileData', value: { period } },
  '4.8.2': { $case: 'readReactiveImportProfileData', value: { period } },
  '6.25': { $case: 'setElectricitySupplyTamperState', value: { supplyTamperState: 2 } },
  '6.17': { $case: 'issueSecurityCredentials', value: { credentialType: 1 } },
  '6.24.1': { $case: 'retrieveDeviceSecurityCredentialsKrp', value: { remotePartyRoles: [3, 4] } },
  '6.24.2': { $case: 'retrieveDeviceSecurityCredentialsDevice', value: { credentialType: 1 } },
  '6.15.2': {
    $case: 'updateSecurityCredentialsDevice',
    value: { deviceCertificate: Buffer.from([0x30]) },
  },
  '6.15.1': {
    $case: 'updateSecurityCredentialsKrp',
    value: {
      remotePartyRole: 8,
      remotePartyFloorSeqNumber: '0',
      replacementCertificates: {
        digitalSigningCertificate: Buffer.from([0x30]),
        keyAgreementCertificate: Buffer.from([0x30]),
        keyAgreementTopUpCertificate: Buffer.alloc(0),
      },
      certificationPathCertificates: [Buffer.from([0x30])],
      remotePartyPrepaymentTopUpFloorSeqNumber: '',
      applyTimeBasedCpvChecks: false,
      signingKeyId: '',
    },
  },
  '4.17': { $case: 'retrieveDailyConsumptionLog', value: { period, kaPublicSecurityCredentials: '' } },
  '4.14': {
    $case: 'readPrepaymentDailyReadLog',
    value: { period, kaPublicSecurityCredentials: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
  },
  '4.4.4': { $case: 'retrieveBillingDataLogDebtPayments', value: { period } },
  '4.4.5': { $case: 'retrieveBillingDataLogPrepaymentCredits', value: { period } },
  '6.4.1': { $case: 'updateDeviceConfigurationLoadLimiting', value: { thresholdW: 7_000 } },
  '6.5': {
    $case: 'updateDeviceConfigurationVoltage',
    value: { sagV: 210, averagePeriodS: 30, polyPhaseVoltageSettings: [] },
  },
  '6.6': {
    $case: 'updateDeviceConfigurationGasConversion',
    value: { calorificValue: '40.0', conversionFactor: '1.02264' },
  },
  '6.7': {
    $case: 'updateDeviceConfigurationGasFlow',
    value: {
      uncontrolledGasFlowRate: { $case: 'uncontrolledGasFlowRateTenThousandthsM3PerH', value: 61_680 },
      supplyDepletionState: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNCHANGED,
      supplyTamperState: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNLOCKED,
      stabilisationPeriodS: 60,
      measurementPeriodS: 300,
    },
  },
  '6.11': { $case: 'synchroniseClock', value: { dateTimeMs: period.startMs, tolerancePeriodS: 60 } },
  '6.22': {
    $case: 'configureAlertBehaviour',
    value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: ['810D'], disableAlertCodes: [] }),
  },
  '8.5': {
    $case: 'serviceOptOut',
    value: {
      acbFloorSeqNumber: '0',
      replacementKeyAgreementCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      certificationPathCertificates: [Buffer.from([0x30, 0x82, 0x01, 0x00])],
      applyTimeBasedCpvChecks: true,
    },
  },
  '6.21': {
    $case: 'requestHandoverOfDccControlledDevice',
    value: RequestHandoverOfDccControlledDevice.fromPartial({
      remotePartyRole: HandoverRemotePartyRole.HANDOVER_REMOTE_PARTY_ROLE_NETWORK_OPERATOR,
      remotePartyFloorSeqNumber: '0',
      replacementDigitalSigningCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      replacementKeyAgreementCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      certificationPathCertificates: [Buffer.from([0x30, 0x82, 0x01, 0x00])],
      applyTimeBasedCpvChecks: true,
    }),
  },
  '6.23': {
    $case: 'updateSecurityCredentials',
    value: UpdateSecurityCredentials.fromPartial({
      supplierId: '90-B3-D5-1F-30-01-00-00',
      signingKeyId: '1',
      topUpFloor: '4294967296',
    }),
  },
  '8.1.1': { $case: 'commissionDevice', value: { dateTimeMs: period.startMs, tolerancePeriodS: 60 } },
  '11.3': { $case: 'activateFirmware', value: { imageHash: 'ab'.repeat(32) } },
  '1.1.2': TARIFF_BODIES['1.1.2'],
  '1.2.1': TARIFF_BODIES['1.2.1'],
  '1.2.2': TARIFF_BODIES['1.2.2'],
  '6.26': TARIFF_BODIES['6.26'],
  ...AUX_LOAD_VALID,
  '4.10': { $case: 'readNetworkData', value: { period } },
  '6.13': { $case: 'readEventOrSecurityLog', value: { period, log: 2 } },
  '3.3': { $case: 'clearEventLog', value: { esmeLog: 0 } },
  '6.18.1': {
    $case: 'setMaximumDemandConfigurableTimePeriod',
    value: { startTimeS: 61_200, endTimeS: 79_200 },
  },
  '6.18.2': {
    $case: 'resetMaximumDemandRegisters',
    value: { activePowerImport: false, activePowerExport: true, configurableTimeActivePowerImport: false },
  },
  '6.12': {
    $case: 'updateDeviceConfigurationInstantaneousPowerThreshold',
    value: { lowMediumPowerThresholdW: 2_300, mediumHighPowerThresholdW: 4_600 },
  },
  '6.8': {
    $case: 'updateDeviceConfigurationBillingCalendar',
    value: { electricity: undefined, gas: { billingPeriodStartMs: period.startMs, periodicity: 5 } },
  },
  '4.4.3': { $case: 'retrieveBillingCalendarTriggeredBillingDataLog', value: { period } },
  '4.6.2': { $case: 'retrieveExportDailyReadLog', value: { period } },
  '4.4.2': { $case: 'retrieveCoMOrTariffTriggeredBillingDataLog', value: { period } },
  '8.7.1': { $case: 'joinServiceCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.7.2': { $case: 'joinServiceNonCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.8.1': { $case: 'unjoinServiceCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.8.2': { $case: 'unjoinServiceNonCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.11': {
    $case: 'updateHanDeviceLog',
    value: {
      deviceId: OTHER_DEVICE,
      requestType: HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_ADD,
      add: { joinTimePeriod: 90, installCode: '30'.repeat(16), importMpxn: '', secondaryImportMpan: '' },
    },
  },
  '8.12.1': { $case: 'restoreHanDeviceLog', value: { oldChfId: OTHER_DEVICE, savedEntries: [] } },
  '8.12.2': { $case: 'restoreGpfDeviceLog', value: { oldGpfId: OTHER_DEVICE, savedEntries: [] } },
  '6.28': {
    $case: 'setChfSubGhzConfiguration',
    // The counts and thresholds at zero are in range; one channel is enabled.
    value: ChfSubGhzConfiguration.fromPartial({ lowerBandChannels0To26: [1], upperBandChannels0To26: [2] }),
  },
  '6.32': { $case: 'readChfSubGhzChannelLog', value: { period } },
};

function overTheWire(srv: string, body: ServiceRequest['body']): ServiceRequest['body'] {
  const request = ServiceRequest.fromPartial({ serviceReferenceVariant: srv, commandVariant: 1, body });
  return ServiceRequest.decode(ServiceRequest.encode(request).finish()).body;
}

describe('SRV bodies derived from the SRV table', () => {
  it('has a body case for every supported SRV, device and routed', () => {
    for (const srv of Object.keys(SRV_TABLE)) expect(srvBodiesOf(srv), srv).toBeDefined();
    expect(SRV_BODIES['3.1']).toEqual({
      request: 'displayMessage',
      required: true,
      response: 'messageDisplayed',
    });
    expect(srvBodiesOf('8.2')?.request).toBe('readInventory');
  });

  it.each(
    Object.entries(SRV_TABLE)
      .filter(([, entry]) => entry.answeredBy === 'device' && entry.rules.length > 0)
      .map(([srv]) => srv),
  )('a valid %s body passes the rules after the generated codec', (srv) => {
    expect(VALID[srv], `no valid body for ${srv} in this spec`).toBeDefined();
    expect(() => checkRequestBody(srv, overTheWire(srv, VALID[srv]))).not.toThrow();
  });

  it('1.1.1 in DUIS form, ESME and GSME, passes the rules after the generated codec', () => {
    for (const body of [
      TARIFF_BODIES['1.1.1'],
      { ...TARIFF_BODIES['1.1.1'], value: { ...TARIFF_BODIES['1.1.1'].value, tariff: GSME_BLOCK_TARIFF } },
    ]) {
      expect(() => checkRequestBody('1.1.1', overTheWire('1.1.1', body))).not.toThrow();
    }
  });

  it('the rules refuse wire values: PaymentMode unspecified, an unset period', () => {
    const unspecified = overTheWire('1.6', {
      $case: 'updatePaymentMode',
      value: { mode: PaymentMode.PAYMENT_MODE_UNSPECIFIED },
    });
    expect(() => checkRequestBody('1.6', unspecified)).toThrow(/mode must be credit or prepayment/);
    const noPeriod = overTheWire('4.8.1', {
      $case: 'readActiveImportProfileData',
      value: { period: undefined },
    });
    expect(() => checkRequestBody('4.8.1', noPeriod)).toThrow(/period is missing/);
  });
});
