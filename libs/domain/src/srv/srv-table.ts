import {
  alertCodes,
  atLeastOne,
  BODY_LIMITS,
  dateTime,
  exclusive,
  hexDigits,
  listOf,
  numberIn,
  pence,
  period,
  text,
  unsigned64,
  utrn,
  type BodyRule,
} from './body-rules.js';
import {
  alcDescriptionsRule,
  alcSchedulerRule,
  auxLoadOverrideRules,
  boostButtonChangeRule,
  boostLogPeriodRule,
  controllerLevelRules,
  controllerSchedulerRule,
  randomisedOffsetRule,
  resetAuxLoadRules,
} from './aux-load-rules.js';
import { ALERT_CHANNEL_LISTS } from '../alert-codes.js';
import { createScheduleBody, scheduleIdBody } from '../schedule/schedule-body-rules.js';
import { gasConversionRules, gasFlowRules } from './gas-body-rules.js';
import { chfSubGhzConfigurationRule } from './chf-sub-ghz-rules.js';
import {
  chfFaultReturnRules,
  chfInstallNoSmWanRules,
  chfInstallSuccessRules,
  chfNoFaultReturnRules,
  returnLocalCommandResponseRule,
} from './chf-ops-rules.js';
import { deviceId, restoreDeviceLogRule, updateHanDeviceLogRule } from './han-body-rules.js';
import {
  serviceOptInRules,
  serviceOptOutRules,
  updateInventoryRules,
  wanMatrixRules,
} from './hub-inventory-rules.js';
import { handoverRules } from './handover-rules.js';
import { loadLimitRules } from './load-limit-rules.js';
import { prepayCalendarRule } from './non-disablement-calendar.js';
import { supplyTamperRules } from './supply-tamper-rules.js';
import { credentialTypeRules, remotePartyRolesRules } from './security-credential-rules.js';
import { deviceCertificateRules, remotePartyReplacementRules } from './security-credential-update-rules.js';
import {
  dailyResetRule,
  pricePrimaryRule,
  simpleOrDuisTariff,
  priceSecondaryRule,
  tariffSecondaryRule,
} from './tariff-body-rules.js';
import {
  kaCredentials,
  updateDebtRules,
  updateMeterBalanceRules,
  updatePaymentModeRules,
} from './prepayment-body-rules.js';
import {
  clearEventLogRules,
  LOG_AND_DEMAND_LIMITS,
  maximumDemandPeriodRules,
  powerThresholdRules,
  readEventOrSecurityLogRules,
  readNetworkDataRules,
  resetMaximumDemandRules,
} from './log-and-demand-rules.js';
import { billingCalendarLogRules, billingCalendarRule } from './billing-calendar-rules.js';
import { updateFirmwareRules } from '../firmware/firmware-body-rules.js';
import { prenotificationRules } from './prenotification-rules.js';
import { polyPhaseVoltageRule } from './poly-phase-voltage-rules.js';

/**
 * Hub services that answer routed non-device SRVs (command variant 8, target the hub's own id).
 * `firmware-distribution`: 11.1 and 11.4, which access control checks and fans out to the meter adapters
 * (services/access-control firmware-distribution.ts, libs/meter-delivery firmware-transfer.ts).
 */
export type NonDeviceOwner = 'registration' | 'scheduling' | 'firmware-distribution';

/**
 * What the hub does with one SRV it supports, beside its catalogue row (srv-catalogue-data.ts: roles, critical,
 * command variants, device types). An SRV without an entry is refused UNIMPLEMENTED.
 */
export interface SrvTableEntry {
  /** A device (through an adapter and the device model), or the hub service that answers it over NATS. */
  readonly answeredBy: 'device' | NonDeviceOwner;
  /** Device SRVs: the key of the device model's command handler (libs/meter commands/registry.ts). */
  readonly deviceHandler?: string;
  /** Whether the command may be returned for local delivery: CV 2 and 3, or 6 and 7 when critical. */
  readonly localDelivery: boolean;
  /** The case of ServiceRequest.body that carries its parameters (libs/proto checks it is one). */
  readonly request: string;
  /** Whether a request must carry the body; parameterless SRVs may omit it. */
  readonly bodyRequired: boolean;
  /** The case of ServiceResponse.body that carries the answer. */
  readonly response: string;
  /** What the hub checks in the body before it stores the request (body-rules.ts). */
  readonly rules: readonly BodyRule[];
  /** Log reads: the body field holding the read period (a DCC schedule fills it in at each run). */
  readonly periodField?: string;
}

function device<Req extends string, Res extends string>(
  handler: string,
  request: Req,
  response: Res,
  rules: readonly BodyRule[] = [],
) {
  return {
    answeredBy: 'device',
    deviceHandler: handler,
    localDelivery: true,
    request,
    // An SRV with rules has parameters; one without takes an empty message or none.
    bodyRequired: rules.length > 0,
    response,
    rules,
  } as const;
}

/** A device SRV that reads a log over a period (its body's `period`, at most `maxDays`). */
function logRead<Req extends string, Res extends string>(
  handler: string,
  request: Req,
  response: Res,
  maxDays: number,
) {
  return {
    ...device(handler, request, response, [period('period', maxDays)]),
    periodField: 'period',
  } as const;
}

function routed<Req extends string, Res extends string>(
  owner: NonDeviceOwner,
  request: Req,
  response: Res,
  rules: readonly BodyRule[] = [],
) {
  // The owner validates what only it can judge (registration's inventory rules, a schedule's existence) and its
  // refusal is the stored response; `rules` are checked by access control before anything is routed.
  return {
    answeredBy: owner,
    localDelivery: false,
    request,
    bodyRequired: true,
    response,
    rules,
  } as const;
}

const PRINTABLE_ASCII = /^[\x20-\x7E]$/;
const execution = dateTime('executionDateTimeMs', true);
const VOLTAGES = ['averageOverV', 'averageUnderV', 'extremeOverV', 'extremeUnderV', 'swellV', 'sagV'];
const VOLTAGE_PERIODS = ['averagePeriodS', 'extremePeriodS', 'sagSwellPeriodS'];
const PREPAY_AMOUNTS = [
  'debtRecoveryCapPencePerDay',
  'emergencyCreditLimitPence',
  'emergencyCreditThresholdPence',
  'lowCreditThresholdPence',
  'maxMeterBalancePence',
  'maxCreditThresholdPence',
  'disablementThresholdPence',
];
const { min: PERIOD_MIN_S, max: PERIOD_MAX_S } = BODY_LIMITS.voltagePeriodS;

/** 1.1.1: each half hour names one of the tariff's rates (1-based). */
const switchingTable: BodyRule = (fields) => {
  const rates = Array.isArray(fields['pricesPencePerKwh']) ? fields['pricesPencePerKwh'].length : 0;
  const slots = BODY_LIMITS.switchingTableSlots;
  return listOf('switchingTable', slots, slots, (name) =>
    numberIn(name, 1, Math.max(rates, 1), { integer: true }),
  )(fields);
};

const DIGIT = /^\d$/;

/** 6.11 and 8.1.1: the date-time to set and DUIS's TolerancePeriod, whole seconds (mandatory in DUIS). */
const clockRules = [
  dateTime('dateTimeMs'),
  numberIn('tolerancePeriodS', 1, 0xffff_ffff, { integer: true }),
] as const;

/** 6.20.1: an import MPAN (13 digits, with a twin element's secondary one) or an MPRN (6 to 10 digits). */
const importMpxn: BodyRule = (fields) => {
  const given = (name: string) => typeof fields[name] === 'string' && fields[name] !== '';
  if (given('importMpan') === given('importMprn')) return 'give either importMpan or importMprn';
  if (given('importMprn')) {
    if (given('secondaryImportMpan')) return 'secondaryImportMpan goes with an importMpan';
    return text('importMprn', 6, 10, DIGIT, 'digits')(fields);
  }
  const mpan = text('importMpan', 13, 13, DIGIT, 'digits')(fields);
  return (
    mpan ??
    (given('secondaryImportMpan') ? text('secondaryImportMpan', 13, 13, DIGIT, 'digits')(fields) : undefined)
  );
};

/**
 * The SRVs the hub supports, and everything it knows about each beyond the catalogue. Availability, command
 * variants, local delivery, request and response body cases, the device handler and body validation are all
 * derived from here (srv-support.ts); docs/srv-coverage.md is generated from it. Adding an SRV: one entry here,
 * its body in libs/proto, and its device handler.
 */
export const SRV_TABLE = {
  '1.1.1': device('1.1.1', 'updateImportTariff', 'importTariffUpdated', [
    simpleOrDuisTariff([
      listOf('pricesPencePerKwh', 1, BODY_LIMITS.tariffRates, (name) => pence(name)),
      switchingTable,
      pence('standingChargePencePerDay'),
    ]),
    execution,
  ]),
  '1.5': device('1.5', 'updateMeterBalance', 'meterBalanceUpdated', updateMeterBalanceRules),
  '1.6': device('1.6', 'updatePaymentMode', 'paymentModeUpdated', [...updatePaymentModeRules, execution]),
  '2.1': device('2.1', 'updatePrepayConfiguration', 'prepayConfigurationUpdated', [
    atLeastOne(...PREPAY_AMOUNTS, 'removeDebtRecoveryCap', 'electricityCalendar', 'gasCalendar'),
    exclusive('debtRecoveryCapPencePerDay', 'removeDebtRecoveryCap'),
    ...PREPAY_AMOUNTS.map((field) => pence(field, true)),
    prepayCalendarRule,
    execution,
  ]),
  '2.2': device('2.2', 'topUpDevice', 'topUp', [utrn('utrn')]),
  '2.3': device('2.3', 'updateDebt', 'debtUpdated', updateDebtRules),
  '2.5': device('2.5', 'activateEmergencyCredit', 'emergencyCreditActivated'),
  '3.1': device('3.1', 'displayMessage', 'messageDisplayed', [
    text('message', 1, BODY_LIMITS.displayMessageChars, PRINTABLE_ASCII, 'printable ASCII'),
  ]),
  '3.2': device('3.2', 'restrictAccessForChangeOfTenancy', 'accessRestricted', [
    dateTime('restrictionDateTimeMs'),
  ]),
  '3.4': device('3.4', 'updateSupplierName', 'supplierNameUpdated', [
    text('supplierName', 1, BODY_LIMITS.supplierContactChars, PRINTABLE_ASCII, 'printable ASCII'),
    text('supplierTelephoneNumber', 1, BODY_LIMITS.supplierContactChars, PRINTABLE_ASCII, 'printable ASCII'),
  ]),
  '3.5': device('3.5', 'disablePrivacyPin', 'privacyPinDisabled'),
  // Tariffs in DUIS form and their block counters (tariff.proto).
  '1.1.2': device('1.1.2', 'updateImportTariffSecondaryElement', 'importTariffSecondaryElementUpdated', [
    tariffSecondaryRule,
    execution,
  ]),
  '1.2.1': device('1.2.1', 'updatePricePrimaryElement', 'pricePrimaryElementUpdated', [
    pricePrimaryRule,
    execution,
  ]),
  '1.2.2': device('1.2.2', 'updatePriceSecondaryElement', 'priceSecondaryElementUpdated', [
    priceSecondaryRule,
    execution,
  ]),
  '1.7': device('1.7', 'resetTariffBlockCounterMatrix', 'tariffBlockCounterMatrixReset'),
  '4.11.1': device('4.11.1', 'readTariffPrimaryElement', 'tariffPrimaryElement'),
  '4.11.2': device('4.11.2', 'readTariffSecondaryElement', 'tariffSecondaryElement'),
  '4.1.3': device('4.1.3', 'readInstantaneousImportTouWithBlocksMatrices', 'touWithBlocksMatrices'),
  '4.1.4': device('4.1.4', 'readInstantaneousImportBlockCounters', 'blockCounters'),
  '6.26': device(
    '6.26',
    'updateDeviceConfigurationDailyResettingOfTariffBlockCounterMatrix',
    'blockCounterDailyResetConfigured',
    [dailyResetRule],
  ),
  '4.1.1': device('4.1.1', 'readInstantaneousImportRegisters', 'importRegisters'),
  '4.1.2': device('4.1.2', 'readInstantaneousImportTouMatrices', 'touMatrices'),
  '4.2': device('4.2', 'readInstantaneousExportRegisters', 'exportRegisters'),
  '4.3': device('4.3', 'readInstantaneousPrepayValues', 'prepayValues'),
  '4.4.4': logRead(
    '4.4.4',
    'retrieveBillingDataLogDebtPayments',
    'debtPaymentsLog',
    BODY_LIMITS.billingLogReadDays,
  ),
  '4.4.5': logRead(
    '4.4.5',
    'retrieveBillingDataLogPrepaymentCredits',
    'prepaymentCreditsLog',
    BODY_LIMITS.billingLogReadDays,
  ),
  '4.13': device('4.13', 'readPrepaymentConfiguration', 'prepaymentConfiguration'),
  '4.14': {
    ...logRead('4.14', 'readPrepaymentDailyReadLog', 'prepaymentDailyReadLog', BODY_LIMITS.prepayLogReadDays),
    rules: [period('period', BODY_LIMITS.prepayLogReadDays), kaCredentials(BODY_LIMITS.kaCredentialsChars)],
  },
  '4.6.1': logRead('4.6.1', 'retrieveImportDailyReadLog', 'dailyReadLog', BODY_LIMITS.dailyReadLogDays),
  '4.8.1': logRead('4.8.1', 'readActiveImportProfileData', 'importProfile', BODY_LIMITS.profileReadDays),
  '4.8.3': logRead('4.8.3', 'readExportProfileData', 'exportProfile', BODY_LIMITS.profileReadDays),
  '6.25': device(
    '6.25',
    'setElectricitySupplyTamperState',
    'electricitySupplyTamperStateSet',
    supplyTamperRules,
  ),
  '4.8.2': logRead(
    '4.8.2',
    'readReactiveImportProfileData',
    'reactiveImportProfile',
    BODY_LIMITS.profileReadDays,
  ),
  // The period is optional (no profile without it), so the body is too.
  '4.10': { ...device('4.10', 'readNetworkData', 'networkData', readNetworkDataRules), bodyRequired: false },
  '4.15': device('4.15', 'readLoadLimitData', 'loadLimitData'),
  '4.17': {
    ...logRead('4.17', 'retrieveDailyConsumptionLog', 'dailyConsumptionLog', BODY_LIMITS.profileReadDays),
    rules: [period('period', BODY_LIMITS.profileReadDays), kaCredentials(BODY_LIMITS.kaCredentialsChars)],
  },
  '4.18': device('4.18', 'readMeterBalance', 'meterBalance'),
  '6.2.1': device('6.2.1', 'readDeviceConfigurationVoltage', 'voltageConfiguration'),
  '6.2.2': device('6.2.2', 'readDeviceConfigurationRandomisation', 'randomisationConfiguration'),
  '6.2.4': device('6.2.4', 'readDeviceConfigurationIdentityExcMpxn', 'deviceIdentity'),
  '6.2.9': device('6.2.9', 'readDeviceConfigurationPaymentMode', 'paymentMode'),
  '6.2.7': device('6.2.7', 'readDeviceConfigurationMpxn', 'mpxnConfiguration'),
  '6.2.10': device('6.2.10', 'readDeviceConfigurationEventAndAlertBehaviours', 'alertBehaviours'),
  '6.4.1': device('6.4.1', 'updateDeviceConfigurationLoadLimiting', 'loadLimitingConfigured', [
    ...loadLimitRules,
    execution,
  ]),
  '6.4.2': device('6.4.2', 'updateDeviceConfigurationLoadLimitingCounterReset', 'loadLimitCounterReset'),
  '6.5': device('6.5', 'updateDeviceConfigurationVoltage', 'voltageConfigurationUpdated', [
    atLeastOne(...VOLTAGES, ...VOLTAGE_PERIODS, 'polyPhaseVoltageSettings'),
    polyPhaseVoltageRule,
    ...VOLTAGES.map((field) => numberIn(field, 0, BODY_LIMITS.maxVoltageV, { optional: true })),
    ...VOLTAGE_PERIODS.map((field) =>
      numberIn(field, PERIOD_MIN_S, PERIOD_MAX_S, { integer: true, optional: true }),
    ),
  ]),
  '6.11': device('6.11', 'synchroniseClock', 'clockSynchronised', clockRules),
  '6.20.1': device('6.20.1', 'setDeviceConfigurationImportMpxn', 'importMpxnSet', [importMpxn]),
  '6.20.2': device('6.20.2', 'setDeviceConfigurationExportMpan', 'exportMpanSet', [
    text('exportMpan', 13, 13, DIGIT, 'digits'),
  ]),
  '6.22': device('6.22', 'configureAlertBehaviour', 'alertConfiguration', [
    atLeastOne(...ALERT_CHANNEL_LISTS.flat()),
    ...ALERT_CHANNEL_LISTS.flatMap(([enable, disable]) => [
      alertCodes(enable, false),
      alertCodes(disable, true),
    ]),
  ]),
  '6.23': device('6.23', 'updateSecurityCredentials', 'supplierCredentials', [
    unsigned64('topUpFloor'),
    execution,
  ]),
  // Security credentials read or issued (security-credential-rules.ts; the device model's security-credentials.ts).
  '6.17': device('6.17', 'issueSecurityCredentials', 'securityCredentialsIssued', credentialTypeRules),
  '6.24.1': device(
    '6.24.1',
    'retrieveDeviceSecurityCredentialsKrp',
    'remotePartyCredentials',
    remotePartyRolesRules,
  ),
  '6.24.2': device(
    '6.24.2',
    'retrieveDeviceSecurityCredentialsDevice',
    'deviceCertificate',
    credentialTypeRules,
  ),
  // Security credentials replaced (security-credential-update-rules.ts; the device model's trust-anchors.ts).
  '6.15.1': device(
    '6.15.1',
    'updateSecurityCredentialsKrp',
    'remotePartyCredentialsUpdated',
    remotePartyReplacementRules,
  ),
  '6.15.2': device(
    '6.15.2',
    'updateSecurityCredentialsDevice',
    'deviceCredentialsUpdated',
    deviceCertificateRules,
  ),
  '7.1': device('7.1', 'enableSupply', 'supplyEnabled'),
  '7.2': device('7.2', 'disableSupply', 'supplyDisabled'),
  '7.3': device('7.3', 'armSupply', 'supplyArmed'),
  '7.4': device('7.4', 'readSupplyStatus', 'supplyStatus'),
  // Auxiliary load control (aux-load-rules.ts).
  '6.14.1': device('6.14.1', 'updateDeviceConfigurationAlcDescriptions', 'alcDescriptionsUpdated', [
    alcDescriptionsRule,
  ]),
  '6.14.2': device('6.14.2', 'updateDeviceConfigurationAlcScheduler', 'alcSchedulerUpdated', [
    alcSchedulerRule,
    execution,
  ]),
  '6.14.3': device(
    '6.14.3',
    'updateDeviceConfigurationAuxiliaryControllerScheduler',
    'auxiliaryControllerSchedulerUpdated',
    [controllerSchedulerRule, execution],
  ),
  '7.5': device('7.5', 'activateAuxiliaryLoad', 'auxiliaryLoadActivated', auxLoadOverrideRules),
  '7.6': device('7.6', 'deactivateAuxiliaryLoad', 'auxiliaryLoadDeactivated', auxLoadOverrideRules),
  '7.7': device('7.7', 'readAlcsData', 'alcsData'),
  '7.8': device('7.8', 'resetAuxiliaryLoad', 'auxiliaryLoadReset', resetAuxLoadRules),
  '7.9': device('7.9', 'addAuxiliaryLoadToBoostButton', 'boostButtonLoadAdded', [boostButtonChangeRule]),
  '7.10': device('7.10', 'removeAuxiliaryLoadFromBoostButton', 'boostButtonLoadRemoved', [
    boostButtonChangeRule,
  ]),
  '7.11': device('7.11', 'readBoostButtonDetails', 'boostButtonDetails', [boostLogPeriodRule]),
  '7.12': device('7.12', 'setRandomisedOffsetLimit', 'randomisedOffsetLimitSet', [randomisedOffsetRule]),
  '7.13': device('7.13', 'setAuxiliaryControllerState', 'auxiliaryControllerStateSet', controllerLevelRules),
  '7.14': device('7.14', 'readAuxiliaryControllerConfigurationData', 'auxiliaryControllerConfiguration'),
  '7.15': device('7.15', 'readAuxiliaryControllerOperationalData', 'auxiliaryControllerOperationalData'),
  '7.16': device('7.16', 'limitApcLevel', 'apcLevelLimited', controllerLevelRules),
  '8.1.1': device('8.1.1', 'commissionDevice', 'deviceCommissioned', clockRules),
  // HAN joins and device logs (han-body-rules.ts; the device model's han-commands.ts).
  '8.7.1': device('8.7.1', 'joinServiceCritical', 'serviceJoined', [deviceId('otherDeviceId')]),
  '8.7.2': device('8.7.2', 'joinServiceNonCritical', 'serviceJoined', [deviceId('otherDeviceId')]),
  '8.8.1': device('8.8.1', 'unjoinServiceCritical', 'serviceUnjoined', [deviceId('otherDeviceId')]),
  '8.8.2': device('8.8.2', 'unjoinServiceNonCritical', 'serviceUnjoined', [deviceId('otherDeviceId')]),
  '8.9': device('8.9', 'readDeviceLog', 'hanDeviceLog'),
  '8.11': device('8.11', 'updateHanDeviceLog', 'hanDeviceLogUpdated', [updateHanDeviceLogRule]),
  // Sent to the new device; access control fills the old one's saved log from the inventory (device-log-fill.ts).
  '8.12.1': device('8.12.1', 'restoreHanDeviceLog', 'hanDeviceLogRestored', [
    restoreDeviceLogRule('oldChfId'),
  ]),
  '8.12.2': device('8.12.2', 'restoreGpfDeviceLog', 'hanDeviceLogRestored', [
    restoreDeviceLogRule('oldGpfId'),
  ]),
  // The CHF's Sub-GHz radio (chf-sub-ghz-rules.ts; the device model's sub-ghz-commands.ts).
  '6.28': device('6.28', 'setChfSubGhzConfiguration', 'chfSubGhzConfigurationSet', [
    chfSubGhzConfigurationRule,
  ]),
  '6.29': device('6.29', 'requestChfSubGhzChannelScan', 'chfSubGhzChannelScanned'),
  '6.30': device('6.30', 'readChfSubGhzConfiguration', 'chfSubGhzConfiguration'),
  '6.31': device('6.31', 'readChfSubGhzChannel', 'chfSubGhzChannel'),
  '6.32': logRead(
    '6.32',
    'readChfSubGhzChannelLog',
    'chfSubGhzChannelLog',
    BODY_LIMITS.chfChannelLogReadDays,
  ),
  '9.1': device('9.1', 'requestCustomerIdentificationNumber', 'customerIdentificationNumberSent'),
  '11.2': device('11.2', 'readFirmwareVersion', 'firmwareVersion'),
  '11.3': device('11.3', 'activateFirmware', 'firmwareActivated', [hexDigits('imageHash', 64), execution]),
  // The gas meter's own (GSME, through its GPF).
  '6.2.8': device('6.2.8', 'readDeviceConfigurationGas', 'gasConfiguration'),
  '6.6': device('6.6', 'updateDeviceConfigurationGasConversion', 'gasConversionUpdated', gasConversionRules),
  '6.7': device('6.7', 'updateDeviceConfigurationGasFlow', 'gasFlowUpdated', gasFlowRules),
  '14.1': device('14.1', 'recordNetworkDataGas', 'gasNetworkData'),
  '6.13': {
    ...logRead('6.13', 'readEventOrSecurityLog', 'deviceLog', LOG_AND_DEMAND_LIMITS.eventLogReadDays),
    rules: readEventOrSecurityLogRules,
  },
  '3.3': device('3.3', 'clearEventLog', 'eventLogCleared', clearEventLogRules),
  '4.16': device('4.16', 'readActivePowerImport', 'activePowerImport'),
  '4.12.1': device('4.12.1', 'readMaximumDemandImportRegisters', 'maximumDemandImport'),
  '4.12.2': device('4.12.2', 'readMaximumDemandExportRegisters', 'maximumDemandExport'),
  '6.18.1': device(
    '6.18.1',
    'setMaximumDemandConfigurableTimePeriod',
    'maximumDemandPeriodSet',
    maximumDemandPeriodRules,
  ),
  '6.18.2': device(
    '6.18.2',
    'resetMaximumDemandRegisters',
    'maximumDemandRegistersReset',
    resetMaximumDemandRules,
  ),
  '6.12': device(
    '6.12',
    'updateDeviceConfigurationInstantaneousPowerThreshold',
    'instantaneousPowerThresholdsUpdated',
    powerThresholdRules,
  ),
  '6.2.5': device(
    '6.2.5',
    'readDeviceConfigurationInstantaneousPowerThresholds',
    'instantaneousPowerThresholds',
  ),
  '6.27': device('6.27', 'updateDeviceConfigurationRmsVoltageCounterReset', 'rmsVoltageCountersReset'),
  '6.8': device('6.8', 'updateDeviceConfigurationBillingCalendar', 'billingCalendarUpdated', [
    billingCalendarRule,
  ]),
  '6.2.3': device('6.2.3', 'readDeviceConfigurationBillingCalendar', 'billingCalendar'),
  '4.4.3': {
    ...logRead(
      '4.4.3',
      'retrieveBillingCalendarTriggeredBillingDataLog',
      'billingCalendarDataLog',
      Number.POSITIVE_INFINITY,
    ),
    rules: billingCalendarLogRules,
  },
  '4.6.2': logRead('4.6.2', 'retrieveExportDailyReadLog', 'exportDailyReadLog', BODY_LIMITS.dailyReadLogDays),
  '4.4.2': {
    ...logRead(
      '4.4.2',
      'retrieveCoMOrTariffTriggeredBillingDataLog',
      'comOrTariffDataLog',
      Number.POSITIVE_INFINITY,
    ),
    rules: billingCalendarLogRules,
  },
  '8.5': device('8.5', 'serviceOptOut', 'serviceOptedOut', serviceOptOutRules),
  '6.21': device('6.21', 'requestHandoverOfDccControlledDevice', 'deviceHandedOver', handoverRules),
  // Non-device, command variant 8 to the hub's own id.
  '8.2': routed('registration', 'readInventory', 'inventory'),
  '8.3': routed('registration', 'decommissionDevice', 'deviceDecommissioned'),
  '8.4': routed('registration', 'updateInventory', 'inventoryUpdated', updateInventoryRules),
  '8.6': routed('registration', 'serviceOptIn', 'serviceOptedIn', serviceOptInRules),
  '12.1': routed('registration', 'requestWanMatrix', 'wanMatrix', wanMatrixRules),
  '12.2': routed('registration', 'devicePrenotification', 'devicePrenotified', prenotificationRules),
  // The communications hub's status in the inventory, and responses to locally delivered commands (chf-ops-rules.ts;
  // registration's chf-operations.ts).
  '8.14.1': routed('registration', 'chfInstallSuccess', 'chfStatusUpdated', chfInstallSuccessRules),
  '8.14.2': routed('registration', 'chfInstallNoSmWan', 'chfStatusUpdated', chfInstallNoSmWanRules),
  '8.14.3': routed('registration', 'chfFaultReturn', 'chfStatusUpdated', chfFaultReturnRules),
  '8.14.4': routed('registration', 'chfNoFaultReturn', 'chfStatusUpdated', chfNoFaultReturnRules),
  '8.13': routed('registration', 'returnLocalCommandResponse', 'localCommandResponseReturned', [
    returnLocalCommandResponseRule,
  ]),
  '5.1': routed('scheduling', 'createSchedule', 'scheduleCreated', [createScheduleBody]),
  '5.2': routed('scheduling', 'readSchedule', 'schedulesRead', [scheduleIdBody(true)]),
  '5.3': routed('scheduling', 'deleteSchedule', 'scheduleDeleted', [scheduleIdBody(false)]),
  // Firmware images (firmware-body-rules.ts): checked and kept once by access control, carried to each device
  // by its meter adapter's Communications Hub (libs/meter-delivery), reported as Firmware Transfer alerts.
  '11.1': routed('firmware-distribution', 'updateFirmware', 'firmwareDistributed', updateFirmwareRules),
  '11.4': routed(
    'firmware-distribution',
    'updatePpmidFirmware',
    'ppmidFirmwareDistributed',
    updateFirmwareRules,
  ),
} as const satisfies Readonly<Record<string, SrvTableEntry>>;

export type SupportedSrv = keyof typeof SRV_TABLE;
/** Every request body case the table names (libs/proto checks it equals ServiceRequest.body's cases). */
export type SrvRequestBodyCase = (typeof SRV_TABLE)[SupportedSrv]['request'];
/** Every response body case the table names (libs/proto checks each is one of ServiceResponse.body's). */
export type SrvResponseBodyCase = (typeof SRV_TABLE)[SupportedSrv]['response'];
