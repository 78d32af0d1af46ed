import {
  allSrvs,
  DccError,
  GrpcStatus,
  parseEui64,
  requireSrv,
  SRV_TABLE,
  USER_ROLES,
  type UserRoleCode,
} from '@dcc/domain';
import {
  ConfigureAlertBehaviour,
  GasSupplyStateChange,
  DeviceLogKind,
  EsmeEventLogType,
  ChfSubGhzConfiguration,
  HanDeviceLogRequestType,
  PaymentMode,
  ScheduleFrequency,
  SRV_BODIES,
  TARIFF_BODIES,
  srvBodiesOf,
  UserRole,
  type ServiceRequest,
  UpdateSecurityCredentials,
} from '@dcc/proto';
import { gbcsResponseBytes } from '@dcc/testkit';
import { describe, expect, it } from 'vitest';
import { admitSubmission, DEFAULT_HUB_ID } from './admission.js';
import { validateBody } from './body-validation.js';
import { UserDirectory } from './user-directory.js';

const WIRE_ROLE: Record<UserRoleCode, UserRole> = {
  IS: UserRole.USER_ROLE_IMPORT_SUPPLIER,
  ES: UserRole.USER_ROLE_EXPORT_SUPPLIER,
  GS: UserRole.USER_ROLE_GAS_SUPPLIER,
  ED: UserRole.USER_ROLE_ELECTRICITY_DISTRIBUTOR,
  GT: UserRole.USER_ROLE_GAS_TRANSPORTER,
  OU: UserRole.USER_ROLE_OTHER_USER,
  RSA: UserRole.USER_ROLE_REGISTERED_SUPPLIER_AGENT,
  MDR: UserRole.USER_ROLE_METER_DATA_RETRIEVER,
};
const USER = parseEui64('90-B3-D5-1F-30-0A-00-00');
const DEVICE = parseEui64('00-DB-12-00-00-00-00-01');
/** The smallest whole OTA upgrade image: its 56-byte header (file identifier, header length, total size) only. */
const OTA_IMAGE = (() => {
  const header = Buffer.alloc(56);
  header.writeUInt32LE(0x0beef11e, 0);
  header.writeUInt16LE(56, 6);
  header.writeUInt32LE(56, 52);
  return header;
})();
const users = new UserDirectory([{ id: USER, roles: USER_ROLES }]);

// The target device's existence (E19), type (E11) and status (E5) are the inventory's to judge
// (registration-check.ts, device-status-rules.spec.ts); admission never looks at the device.

/** Admission, then the body check request intake runs next (body-validation.ts). */
function admitAndValidate(request: ServiceRequest, hubId?: ReturnType<typeof parseEui64>) {
  const admitted = admitSubmission(request, users, hubId ? { hubId } : {});
  validateBody(admitted.request, admitted.srv);
  return admitted;
}

function outcome(request: ServiceRequest): string {
  try {
    admitAndValidate(request);
    return 'admitted';
  } catch (error) {
    const failure = error as DccError;
    return failure.responseCode ?? `grpc-${failure.status}`;
  }
}

const DAY_MS = 86_400_000;
const period = { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 1) + DAY_MS };

/** A minimal valid body for each available SRV (the values are the device's to judge, not admission's). */
const AUX_TIMING = { specialDayIndexes: [], daysOfWeek: [6, 7], switchTimeMs: 0, startDate: {}, endDate: {} };
const AUX_LEVEL = {
  auxiliaryControllerN: 2,
  startDateTimeMs: Date.UTC(2026, 0, 1),
  endDateTimeMs: Date.UTC(2026, 0, 2),
  commandedStateLevel: 100,
  inputFromControlledLoad: false,
};
/** The other device of a HAN join or device log change. */
const OTHER_DEVICE = '00-DB-12-34-56-78-90-9A';

const VALID_BODY: Record<string, ServiceRequest['body']> = {
  // The tariff SRVs' (1.1.1 in DUIS form, overridden below by its simple form).
  ...TARIFF_BODIES,
  '2.2': { $case: 'topUpDevice', value: { utrn: '73946144332040217315' } }, // DCC's published sample
  '3.1': { $case: 'displayMessage', value: { message: 'Hello' } },
  '3.2': {
    $case: 'restrictAccessForChangeOfTenancy',
    value: { restrictionDateTimeMs: period.startMs },
  },
  '4.1.1': { $case: 'readInstantaneousImportRegisters', value: {} },
  '4.1.2': { $case: 'readInstantaneousImportTouMatrices', value: {} },
  '4.2': { $case: 'readInstantaneousExportRegisters', value: {} },
  '4.3': { $case: 'readInstantaneousPrepayValues', value: {} },
  '4.6.1': { $case: 'retrieveImportDailyReadLog', value: { period } },
  '4.8.1': { $case: 'readActiveImportProfileData', value: { period } },
  '4.8.3': { $case: 'readExportProfileData', value: { period } },
  '4.8.2': { $case: 'readReactiveImportProfileData', value: { period } },
  '6.25': { $case: 'setElectricitySupplyTamperState', value: { supplyTamperState: 2 } },
  '6.17': { $case: 'issueSecurityCredentials', value: { credentialType: 1 } },
  '6.24.1': { $case: 'retrieveDeviceSecurityCredentialsKrp', value: { remotePartyRoles: [3, 4] } },
  '6.15.1': {
    $case: 'updateSecurityCredentialsKrp',
    value: {
      remotePartyRole: 8,
      remotePartyFloorSeqNumber: '0',
      remotePartyPrepaymentTopUpFloorSeqNumber: '',
      replacementCertificates: {
        digitalSigningCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
        keyAgreementCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
        keyAgreementTopUpCertificate: Buffer.alloc(0),
      },
      certificationPathCertificates: [Buffer.from([0x30, 0x82, 0x01, 0x00])],
      applyTimeBasedCpvChecks: true,
      signingKeyId: '',
    },
  },
  '6.15.2': {
    $case: 'updateSecurityCredentialsDevice',
    value: { deviceCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]) },
  },
  '6.21': {
    $case: 'requestHandoverOfDccControlledDevice',
    value: {
      remotePartyRole: 1,
      remotePartyFloorSeqNumber: '0',
      remotePartyPrepaymentTopUpFloorSeqNumber: '0',
      replacementDigitalSigningCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      replacementKeyAgreementCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      replacementKeyAgreementTopUpCertificate: Buffer.from([0x30, 0x82, 0x01, 0x00]),
      certificationPathCertificates: [Buffer.from([0x30, 0x82, 0x01, 0x00])],
      applyTimeBasedCpvChecks: true,
    },
  },
  '6.24.2': { $case: 'retrieveDeviceSecurityCredentialsDevice', value: { credentialType: 1 } },
  '4.10': { $case: 'readNetworkData', value: { period: undefined } },
  '4.17': { $case: 'retrieveDailyConsumptionLog', value: { period, kaPublicSecurityCredentials: '' } },
  '4.18': { $case: 'readMeterBalance', value: {} },
  '4.13': { $case: 'readPrepaymentConfiguration', value: {} },
  '4.14': { $case: 'readPrepaymentDailyReadLog', value: { period, kaPublicSecurityCredentials: '' } },
  '4.4.4': { $case: 'retrieveBillingDataLogDebtPayments', value: { period } },
  '4.4.5': { $case: 'retrieveBillingDataLogPrepaymentCredits', value: { period } },
  '6.5': { $case: 'updateDeviceConfigurationVoltage', value: { sagV: 210, polyPhaseVoltageSettings: [] } },
  '6.22': {
    $case: 'configureAlertBehaviour',
    value: ConfigureAlertBehaviour.fromPartial({ enableAlertCodes: [], disableAlertCodes: ['810D'] }),
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
  '6.23': {
    $case: 'updateSecurityCredentials',
    value: UpdateSecurityCredentials.fromPartial({
      supplierId: '',
      signingKeyId: '2',
      topUpFloor: '0',
    }),
  },
  '7.4': { $case: 'readSupplyStatus', value: {} },
  '4.15': { $case: 'readLoadLimitData', value: {} },
  '6.4.2': { $case: 'updateDeviceConfigurationLoadLimitingCounterReset', value: {} },
  '6.2.1': { $case: 'readDeviceConfigurationVoltage', value: {} },
  '6.2.2': { $case: 'readDeviceConfigurationRandomisation', value: {} },
  '6.2.4': { $case: 'readDeviceConfigurationIdentityExcMpxn', value: {} },
  '6.2.9': { $case: 'readDeviceConfigurationPaymentMode', value: {} },
  '6.2.10': { $case: 'readDeviceConfigurationEventAndAlertBehaviours', value: {} },
  '6.2.7': { $case: 'readDeviceConfigurationMpxn', value: {} },
  '3.5': { $case: 'disablePrivacyPin', value: {} },
  '6.13': { $case: 'readEventOrSecurityLog', value: { period, log: DeviceLogKind.DEVICE_LOG_KIND_EVENT } },
  '3.3': { $case: 'clearEventLog', value: { esmeLog: EsmeEventLogType.ESME_EVENT_LOG_TYPE_ESME } },
  '4.16': { $case: 'readActivePowerImport', value: {} },
  '4.12.1': { $case: 'readMaximumDemandImportRegisters', value: {} },
  '4.12.2': { $case: 'readMaximumDemandExportRegisters', value: {} },
  '6.18.1': {
    $case: 'setMaximumDemandConfigurableTimePeriod',
    value: { startTimeS: 17 * 3600, endTimeS: 22 * 3600 },
  },
  '6.18.2': {
    $case: 'resetMaximumDemandRegisters',
    value: { activePowerImport: true, activePowerExport: false, configurableTimeActivePowerImport: false },
  },
  '6.12': {
    $case: 'updateDeviceConfigurationInstantaneousPowerThreshold',
    value: { lowMediumPowerThresholdW: 2300, mediumHighPowerThresholdW: 4600 },
  },
  '6.2.5': { $case: 'readDeviceConfigurationInstantaneousPowerThresholds', value: {} },
  '6.27': { $case: 'updateDeviceConfigurationRmsVoltageCounterReset', value: {} },
  '6.8': {
    $case: 'updateDeviceConfigurationBillingCalendar',
    value: { electricity: undefined, gas: { billingPeriodStartMs: period.startMs, periodicity: 3 } },
  },
  '6.2.3': { $case: 'readDeviceConfigurationBillingCalendar', value: {} },
  '4.4.3': { $case: 'retrieveBillingCalendarTriggeredBillingDataLog', value: { period } },
  '4.6.2': { $case: 'retrieveExportDailyReadLog', value: { period } },
  '4.4.2': { $case: 'retrieveCoMOrTariffTriggeredBillingDataLog', value: { period } },
  '6.20.1': {
    $case: 'setDeviceConfigurationImportMpxn',
    value: { importMpan: '1312345678333', secondaryImportMpan: '', importMprn: '' },
  },
  '6.20.2': { $case: 'setDeviceConfigurationExportMpan', value: { exportMpan: '1312345678333' } },
  '3.4': {
    $case: 'updateSupplierName',
    value: { supplierName: 'E-ON', supplierTelephoneNumber: '0333 202 4650' },
  },
  '11.2': { $case: 'readFirmwareVersion', value: {} },
  // The gas meter's own.
  '6.2.8': { $case: 'readDeviceConfigurationGas', value: {} },
  '14.1': { $case: 'recordNetworkDataGas', value: {} },
  '6.6': {
    $case: 'updateDeviceConfigurationGasConversion',
    value: { calorificValue: '40.0', conversionFactor: '1.02264' },
  },
  '6.7': {
    $case: 'updateDeviceConfigurationGasFlow',
    value: {
      uncontrolledGasFlowRate: { $case: 'uncontrolledGasFlowRateTenThousandthsM3PerH', value: 61_680 },
      supplyDepletionState: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_UNCHANGED,
      supplyTamperState: GasSupplyStateChange.GAS_SUPPLY_STATE_CHANGE_LOCKED,
      stabilisationPeriodS: 60,
      measurementPeriodS: 300,
    },
  },
  // Critical (admitted here with CV 4, the transform; the signature path is critical-commands.spec.ts).
  '2.5': { $case: 'activateEmergencyCredit', value: {} },
  '7.1': { $case: 'enableSupply', value: {} },
  '7.2': { $case: 'disableSupply', value: {} },
  '7.3': { $case: 'armSupply', value: {} },
  '1.1.1': {
    $case: 'updateImportTariff',
    value: {
      switchingTable: Array.from({ length: 48 }, () => 1),
      pricesPencePerKwh: ['25'],
      standingChargePencePerDay: '50',
    },
  },
  '1.5': { $case: 'updateMeterBalance', value: { change: { $case: 'adjustPence', value: '100' } } },
  '1.6': { $case: 'updatePaymentMode', value: { mode: PaymentMode.PAYMENT_MODE_PREPAYMENT } },
  '2.1': {
    $case: 'updatePrepayConfiguration',
    value: { removeDebtRecoveryCap: false, lowCreditThresholdPence: '200' },
  },
  '2.3': { $case: 'updateDebt', value: { timeDebt1Pence: '500' } },
  '6.4.1': { $case: 'updateDeviceConfigurationLoadLimiting', value: { thresholdW: 5000 } },
  '6.11': { $case: 'synchroniseClock', value: { dateTimeMs: period.startMs, tolerancePeriodS: 60 } },
  '8.1.1': { $case: 'commissionDevice', value: { dateTimeMs: period.startMs, tolerancePeriodS: 60 } },
  '11.3': { $case: 'activateFirmware', value: { imageHash: 'ab'.repeat(32) } },
  // Auxiliary load control (6.14.x and 7.5-7.16; 7.16 has no eligible role, so only its refusal is seen).
  '6.14.1': {
    $case: 'updateDeviceConfigurationAlcDescriptions',
    value: { descriptions: [{ switchIndex: 3, description: 'Label3' }] },
  },
  '6.14.2': {
    $case: 'updateDeviceConfigurationAlcScheduler',
    value: {
      schedules: [{ switchIndex: 1, activate: true, timing: AUX_TIMING }],
      specialDays: [],
      switchTypes: [],
    },
  },
  '6.14.3': {
    $case: 'updateDeviceConfigurationAuxiliaryControllerScheduler',
    value: {
      schedules: [
        {
          auxiliaryControllerN: 2,
          commandedStateLevel: 100,
          inputFromControlledLoad: false,
          timing: AUX_TIMING,
        },
      ],
      specialDays: [],
    },
  },
  '7.5': { $case: 'activateAuxiliaryLoad', value: { switchIndex: 4, durationMinutes: 15 } },
  '7.6': { $case: 'deactivateAuxiliaryLoad', value: { switchIndex: 4, durationMinutes: 15 } },
  '7.7': { $case: 'readAlcsData', value: {} },
  '7.8': { $case: 'resetAuxiliaryLoad', value: { switchIndex: 4 } },
  '7.9': {
    $case: 'addAuxiliaryLoadToBoostButton',
    value: { switches: [{ switchIndex: 5, selected: true }] },
  },
  '7.10': {
    $case: 'removeAuxiliaryLoadFromBoostButton',
    value: { switches: [{ switchIndex: 5, selected: true }] },
  },
  '7.11': {
    $case: 'readBoostButtonDetails',
    value: { period: { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 2) } },
  },
  '7.12': { $case: 'setRandomisedOffsetLimit', value: { randomisedOffsetLimitS: 600 } },
  '7.13': { $case: 'setAuxiliaryControllerState', value: AUX_LEVEL },
  '7.14': { $case: 'readAuxiliaryControllerConfigurationData', value: {} },
  '7.15': { $case: 'readAuxiliaryControllerOperationalData', value: {} },
  '7.16': { $case: 'limitApcLevel', value: AUX_LEVEL },
  // HAN joins, the CHF device log and its Sub-GHz radio.
  '8.7.1': { $case: 'joinServiceCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.7.2': { $case: 'joinServiceNonCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.8.1': { $case: 'unjoinServiceCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.8.2': { $case: 'unjoinServiceNonCritical', value: { otherDeviceId: OTHER_DEVICE } },
  '8.11': {
    $case: 'updateHanDeviceLog',
    value: {
      deviceId: OTHER_DEVICE,
      requestType: HanDeviceLogRequestType.HAN_DEVICE_LOG_REQUEST_TYPE_REMOVE,
    },
  },
  '8.12.1': { $case: 'restoreHanDeviceLog', value: { oldChfId: OTHER_DEVICE, savedEntries: [] } },
  '8.12.2': { $case: 'restoreGpfDeviceLog', value: { oldGpfId: OTHER_DEVICE, savedEntries: [] } },
  '6.28': {
    $case: 'setChfSubGhzConfiguration',
    value: ChfSubGhzConfiguration.fromPartial({ lowerBandChannels0To26: [1] }),
  },
  '8.9': { $case: 'readDeviceLog', value: { readSecurityDetails: false } },
  '6.29': { $case: 'requestChfSubGhzChannelScan', value: {} },
  '6.30': { $case: 'readChfSubGhzConfiguration', value: {} },
  '6.31': { $case: 'readChfSubGhzChannel', value: {} },
  '9.1': { $case: 'requestCustomerIdentificationNumber', value: {} },
  '6.32': {
    $case: 'readChfSubGhzChannelLog',
    value: { period: { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 2) } },
  },
  // Non-device (CV 8, target the hub): routed to registration.
  '8.2': { $case: 'readInventory', value: { deviceId: DEVICE, mpxn: '' } },
  '8.3': { $case: 'decommissionDevice', value: { deviceId: DEVICE, reason: 'removed' } },
  '8.4': {
    $case: 'updateInventory',
    value: {
      deviceId: DEVICE,
      status: 0,
      model: '',
      firmwareVersion: '2.0.0',
      mpxn: '',
      commsHubId: '',
      reason: '',
      deleteDevice: false,
    },
  },
  '8.6': {
    $case: 'serviceOptIn',
    value: {
      deviceId: DEVICE,
      deviceType: 'ESME',
      importMpxn: '1312345678111',
      secondaryImportMpan: '',
      exportMpan: '1312345678333',
      optInDateMs: Date.UTC(2015, 1, 1),
    },
  },
  '12.1': { $case: 'requestWanMatrix', value: { postCode: 'M22 0RR', addressIdentifier: 'Threapwood Road' } },
  '12.2': {
    $case: 'devicePrenotification',
    value: {
      deviceId: DEVICE,
      deviceType: 'ESME',
      model: 'M1',
      firmwareVersion: '1.0.0',
      smetsGeneration: 'SMETS2',
      manufacturer: 'AB01',
      smetsChtsVersion: 'SMETS V4.1',
      esmeVariant: 'A',
    },
  },
  // Non-device (CV 8, target the hub): routed to registration.
  '8.14.1': {
    $case: 'chfInstallSuccess',
    value: {
      deviceId: DEVICE,
      installType: 'New CHF Install',
      mpxn: '1000999888',
      aerialInstall: false,
      location: 'Outside',
    },
  },
  '8.14.2': {
    $case: 'chfInstallNoSmWan',
    value: {
      deviceId: DEVICE,
      installType: 'CHF Install - no SM WAN',
      mpxn: '1000999888',
      aerialInstall: true,
      location: 'Basement or Cellar',
      premiseType: 'Low Rise Apartment (MDU <= 5 floors)',
      metalObstructionCheck: false,
      connectivityObstructionCheck: true,
      sharedObstructionCheck: false,
    },
  },
  '8.14.3': {
    $case: 'chfFaultReturn',
    value: {
      deviceId: DEVICE,
      faultReturnType: 2,
      otherDeviceId: '',
      connectionMethod: 'Hot-shoe',
      faultReason: 'Damaged case',
    },
  },
  '8.14.4': {
    $case: 'chfNoFaultReturn',
    value: { deviceId: DEVICE, noFaultReturnType: 'No Fault Return (general)' },
  },
  '8.13': {
    $case: 'returnLocalCommandResponse',
    value: {
      originalRequestId: `${USER}:${DEVICE}:7`,
      deviceGbcsResponse: gbcsResponseBytes({
        device: DEVICE,
        recipient: USER,
        counter: 7n,
        messageCode: 0x12,
      }),
    },
  },
  // Non-device (CV 8, target the hub): firmware images, distributed by access control.
  '11.1': {
    $case: 'updateFirmware',
    value: { firmwareImage: OTA_IMAGE, firmwareVersion: '02030000', deviceIds: [DEVICE] },
  },
  '11.4': {
    $case: 'updatePpmidFirmware',
    value: { firmwareImage: OTA_IMAGE, firmwareVersion: '02030000', deviceIds: [DEVICE] },
  },
  // Non-device (CV 8, target the hub): routed to scheduling.
  '5.1': {
    $case: 'createSchedule',
    value: {
      scheduledServiceReferenceVariant: '4.10',
      deviceId: DEVICE,
      frequency: ScheduleFrequency.SCHEDULE_FREQUENCY_DAILY,
      startDateMs: Date.UTC(2030, 0, 1),
      endDateMs: 0,
      executionTimeS: 3_600,
      startDateOffset: 0,
      startTimeS: 0,
      endDateOffset: 0,
      endTimeS: 0,
      purpose: '',
    },
  },
  '5.2': { $case: 'readSchedule', value: { dspScheduleId: '', deviceId: '' } },
  '5.3': { $case: 'deleteSchedule', value: { dspScheduleId: '123456789012' } },
};

const cases = allSrvs().flatMap((srv) => USER_ROLES.map((role) => ({ srv, role })));

describe('every SRV × every role against the catalogue', () => {
  it(`covers all ${cases.length} combinations`, () => {
    expect(cases).toHaveLength(129 * USER_ROLES.length);
  });

  it.each(cases.map((c) => [c.srv.srv, c.role, c] as const))('%s as %s', (_srv, _role, { srv, role }) => {
    const request: ServiceRequest = {
      // Non-device SRVs target the hub itself.
      requestId: `${USER}:${srv.nonDevice ? DEFAULT_HUB_ID : DEVICE}:1`,
      commandVariant: srv.commandVariants[0]!,
      serviceReferenceVariant: srv.srv,
      userRole: WIRE_ROLE[role],
      body: VALID_BODY[srv.srv],
    };
    const result = outcome(request);
    // Every SRV is carried out: an eligible role's first listed command variant (1, or 4 for a critical SRV)
    // with a valid body is admitted.
    expect(result).toBe(srv.roles.includes(role) ? 'admitted' : 'E2');
  });
});

describe('device checks', () => {
  const read = (overrides: Partial<ServiceRequest> = {}): ServiceRequest => ({
    requestId: `${USER}:${DEVICE}:1`,
    commandVariant: 1,
    serviceReferenceVariant: '4.1.1',
    userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
    body: undefined,
    ...overrides,
  });

  it('refuses a critical SRV sent without transform (E12)', () => {
    expect(outcome(read({ serviceReferenceVariant: '7.2', commandVariant: 1 }))).toBe('E12');
  });
});

describe('request bodies', () => {
  // The first command variant the SRV takes: 1, or 4 (the transform) for a critical SRV.
  const request = (srv: string, body: ServiceRequest['body']): ServiceRequest => ({
    requestId: `${USER}:${requireSrv(srv).nonDevice ? DEFAULT_HUB_ID : DEVICE}:1`,
    commandVariant: requireSrv(srv).commandVariants[0]!,
    serviceReferenceVariant: srv,
    userRole: WIRE_ROLE[requireSrv(srv).roles[0]!],
    body,
  });
  const refusal = (r: ServiceRequest) => {
    try {
      admitAndValidate(r);
    } catch (error) {
      return error as DccError;
    }
    throw new Error('admitted');
  };

  it('every available SRV has a wire body, and the table above has a valid one for each', () => {
    for (const srv of Object.keys(SRV_TABLE)) {
      expect(srvBodiesOf(srv), srv).toBeDefined();
      expect(VALID_BODY[srv]?.$case, srv).toBe(srvBodiesOf(srv)!.request);
    }
  });

  it('accepts an absent body for SRVs without parameters (4.1.1 included)', () => {
    for (const srv of ['4.1.1', '4.1.2', '4.3', '4.10', '4.13', '4.18', '7.4', '11.2']) {
      expect(outcome(request(srv, undefined)), srv).toBe('admitted');
    }
  });

  // 7.16 Limit APC Level has no eligible User Role (DCC-REFERENCE §1.2): every User is refused it first (below).
  it.each(Object.entries(SRV_BODIES).filter(([srv, b]) => b.required && requireSrv(srv).roles.length > 0))(
    'refuses SRV %s without its parameters',
    (srv, bodies) => {
      const error = refusal(request(srv, undefined));
      expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect(error.message).toContain(`SRV ${srv} needs its parameters: body ${bodies.request} is missing`);
    },
  );

  it('refuses 7.16 Limit APC Level to every User Role with E2, however good its body', () => {
    for (const role of Object.values(WIRE_ROLE)) {
      const limit = {
        ...request('7.5', VALID_BODY['7.16']),
        serviceReferenceVariant: '7.16',
        userRole: role,
      };
      expect(outcome(limit), String(role)).toBe('E2');
    }
  });

  it("refuses another SRV's body", () => {
    const error = refusal(request('2.2', VALID_BODY['3.1']));
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toMatch(/SRV 2.2 takes body topUpDevice, not displayMessage/);
    expect(refusal(request('4.1.1', VALID_BODY['4.1.2'])).status).toBe(GrpcStatus.INVALID_ARGUMENT);
  });
});

describe('routed non-device SRVs (8.2, 8.3, 8.4, 12.2 to registration; 5.1, 5.2, 5.3 to scheduling)', () => {
  const HUB = parseEui64('90-B3-D5-1F-30-00-00-09');
  const inventory = (overrides: Partial<ServiceRequest> = {}): ServiceRequest => ({
    requestId: `${USER}:${HUB}:1`,
    commandVariant: 8,
    serviceReferenceVariant: '8.2',
    userRole: UserRole.USER_ROLE_GAS_TRANSPORTER,
    body: VALID_BODY['8.2'],
    ...overrides,
  });
  const attempt = (request: ServiceRequest) => {
    try {
      return admitAndValidate(request, HUB);
    } catch (error) {
      return error as DccError;
    }
  };

  it('admits CV 8 to the hub for routing to registration, with no device', () => {
    const routed = attempt(inventory());
    expect(routed).toMatchObject({ owner: 'registration', srv: { srv: '8.2' } });
    expect(routed).not.toHaveProperty('device');
  });

  it.each(['5.1', '5.2', '5.3'])('admits %s with CV 8 to the hub, for routing to scheduling', (srv) => {
    const routed = attempt(
      inventory({
        serviceReferenceVariant: srv,
        userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
        body: VALID_BODY[srv],
      }),
    );
    expect(routed).toMatchObject({ owner: 'scheduling', srv: { srv } });
  });

  it.each(['8.3', '8.4', '8.6', '12.1', '12.2'])(
    'admits %s with CV 8 to the hub and its body, for routing to registration',
    (srv) => {
      const routed = attempt(
        inventory({
          serviceReferenceVariant: srv,
          userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
          body: VALID_BODY[srv],
        }),
      );
      expect(routed).toMatchObject({ owner: 'registration', srv: { srv } });
      const missing = attempt(
        inventory({
          serviceReferenceVariant: srv,
          userRole: UserRole.USER_ROLE_IMPORT_SUPPLIER,
          body: undefined,
        }),
      ) as DccError;
      expect(missing.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    },
  );

  it('refuses another target with INVALID_ARGUMENT naming HUB_ID', () => {
    const error = attempt(inventory({ requestId: `${USER}:${DEVICE}:1` })) as DccError;
    expect(error.status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(error.message).toContain(`HUB_ID ${HUB}`);
  });

  it('refuses another command variant with E12, and a role not eligible with E2', () => {
    expect((attempt(inventory({ commandVariant: 1 })) as DccError).responseCode).toBe('E12');
    expect((attempt(inventory({ serviceReferenceVariant: '8.3' })) as DccError).responseCode).toBe('E2');
  });

  it("refuses a missing or another SRV's body", () => {
    expect((attempt(inventory({ body: undefined })) as DccError).status).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((attempt(inventory({ body: VALID_BODY['3.1'] })) as DccError).status).toBe(
      GrpcStatus.INVALID_ARGUMENT,
    );
  });
});
