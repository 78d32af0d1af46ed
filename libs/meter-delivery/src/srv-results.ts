import { DccError, GrpcStatus, parseRequestId, responseIdFor } from '@dcc/domain';
import {
  alertCodeHex,
  type DeviceAlert as ModelAlert,
  type DeviceResult,
  type SrvBodyMap,
  type SupplyState as ModelSupplyState,
} from '@dcc/meter';
import { alertConfiguration } from './alert-params.js';
import { AUX_LOAD_BODIES } from './aux-load-results.js';
import { loadLimitData } from './load-limit-params.js';
import { supplyTamperSet } from './supply-tamper-wire.js';
import { deviceHandedOver } from './handover-wire.js';
import {
  certificationRequest,
  deviceCertificate,
  remotePartyCredentials,
  remotePartyUpdated,
} from './security-credentials-wire.js';
import {
  echoCredentials,
  PAYMENT_MODE,
  penceString,
  prepayConfiguration,
  PREPAY_READ_BODIES,
} from './prepay-results.js';
import { duisTariffOf, TARIFF_BODIES } from './tariff-results.js';
import { LOG_AND_DEMAND_BODIES } from './log-and-demand-results.js';

export { penceString };
import { GAS_BODIES, gasRegisters, gasSupplyLatches } from './gas-results.js';
import {
  DailyReadSource,
  DeviceOutcomeKind,
  SupplyState,
  UtrnValueClass,
  type ClockSet as ProtoClockSet,
  type DeviceAlert,
  type FirmwareVersion as ProtoFirmwareVersion,
  type MeterBalance as ProtoMeterBalance,
  type PaymentModeStatus as ProtoPaymentModeStatus,
  type PrepayValues as ProtoPrepayValues,
  type ProfileData as ProtoProfileData,
  type ServiceRequest,
  type ServiceResponse,
  type SupplyStatus as ProtoSupplyStatus,
} from '@dcc/proto';

/**
 * The User's response to a command the device answered (DeviceResult → ServiceResponse):
 * - executed: I0 with the SRV's body;
 * - scheduled / cancelled (device future-dating): I0 without a body; the outcome says which, and the execution
 *   itself is reported later as alert 8F66 / 8F67 with a later answer;
 * - rejected (the device refused by its own rules, e.g. a replayed UTRN): a failure. DUIS has no response code
 *   for "the device refused", and the hub does not invent one, so response_code is empty and status_code is
 *   FAILED_PRECONDITION (the device's state refused it), detail is the device's message and
 *   device_outcome.rejection_reason the device's reason (e.g. UTRN_DUPLICATE).
 * Every answer carries the alerts the device raised with it.
 */
export function responseOf(
  request: ServiceRequest,
  result: DeviceResult,
  respondedAtMs: number,
): ServiceResponse {
  const rejected = result.outcome === 'rejected';
  return {
    requestId: request.requestId,
    responseId: responseIdFor(parseRequestId(request.requestId)),
    responseCode: rejected ? '' : 'I0',
    serviceReferenceVariant: request.serviceReferenceVariant,
    responseDateTimeMs: respondedAtMs,
    detail: rejected ? (result.rejection?.message ?? 'the device refused the command') : '',
    statusCode: rejected ? GrpcStatus.FAILED_PRECONDITION : GrpcStatus.OK,
    alerts: result.alerts.map(alertOf),
    deviceOutcome: {
      kind: OUTCOME[result.outcome],
      rejectionReason: result.rejection?.reason ?? '',
      meterTimeMs: result.meterTimeMs,
    },
    body:
      result.outcome === 'executed' ? echoCredentials(request, bodyOf(result.srv, result.body)) : undefined,
  };
}

const OUTCOME: Record<DeviceResult['outcome'], DeviceOutcomeKind> = {
  executed: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_EXECUTED,
  scheduled: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_SCHEDULED,
  cancelled: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_CANCELLED,
  rejected: DeviceOutcomeKind.DEVICE_OUTCOME_KIND_REJECTED,
};

export function alertOf(alert: ModelAlert): DeviceAlert {
  return { code: alertCodeHex(alert.code), atMs: alert.atMs, requestId: alert.requestId ?? '' };
}

const SUPPLY: Record<ModelSupplyState, SupplyState> = {
  enabled: SupplyState.SUPPLY_STATE_ENABLED,
  disabled: SupplyState.SUPPLY_STATE_DISABLED,
  armed: SupplyState.SUPPLY_STATE_ARMED,
};

type Body = ServiceResponse['body'];

function prepayValues(b: SrvBodyMap['4.3']): ProtoPrepayValues {
  return {
    paymentMode: PAYMENT_MODE[b.paymentMode],
    meterBalancePence: penceString(b.meterBalancePence),
    emergencyCreditActive: b.emergencyCreditActive,
    emergencyCreditInUsePence: penceString(b.emergencyCreditInUsePence),
    emergencyCreditRemainingPence: penceString(b.emergencyCreditRemainingPence),
    timeDebt1Pence: penceString(b.timeDebt1Pence),
    timeDebt2Pence: penceString(b.timeDebt2Pence),
    paymentDebtPence: penceString(b.paymentDebtPence),
    meterTimeMs: b.meterTimeMs,
  };
}

function supplyStatus(b: SrvBodyMap['7.4']): ProtoSupplyStatus {
  return { supply: SUPPLY[b.supply], meterTimeMs: b.meterTimeMs };
}

function meterBalance(b: SrvBodyMap['4.18']): ProtoMeterBalance {
  return {
    meterBalancePence: penceString(b.meterBalancePence),
    emergencyCreditBalancePence: penceString(b.emergencyCreditBalancePence),
    meterTimeMs: b.meterTimeMs,
    paymentMode: PAYMENT_MODE[b.paymentMode],
  };
}

function paymentModeStatus(b: SrvBodyMap['1.6']): ProtoPaymentModeStatus {
  return {
    paymentMode: PAYMENT_MODE[b.paymentMode],
    supply: SUPPLY[b.supply],
    disablementThresholdPence: penceString(b.disablementThresholdPence),
    suspendDebtDisabled: b.suspendDebtDisabled,
    suspendDebtEmergency: b.suspendDebtEmergency,
  };
}

function clockSet(b: SrvBodyMap['6.11']): ProtoClockSet {
  return { meterTimeMs: b.meterTimeMs, clockOffsetMs: b.clockOffsetMs, commissioned: b.commissioned };
}

function firmwareVersion(b: SrvBodyMap['11.2']): ProtoFirmwareVersion {
  return { version: b.version, pendingImageVersion: b.pendingImageVersion ?? '' };
}

function profileData(b: SrvBodyMap['4.8.1']): ProtoProfileData {
  return {
    firstSlotStartMs: b.firstSlotStartMs,
    slotMs: b.slotMs,
    valuesWh: b.valuesWh,
    valuesDm3: b.valuesDm3 ?? [],
  };
}

/** One mapping per SRV the wire protocol carries, from the model's answer to the SRV's response body. */
const BODIES: { [S in keyof SrvBodyMap]?: (body: SrvBodyMap[S]) => Body } = {
  '2.2': (b) => ({
    $case: 'topUp',
    value: {
      creditedPence: penceString(b.creditedPence),
      valueClass:
        b.valueClass === 'pounds'
          ? UtrnValueClass.UTRN_VALUE_CLASS_POUNDS
          : UtrnValueClass.UTRN_VALUE_CLASS_PENNIES,
      counter: b.counter,
      meterBalancePence: penceString(b.meterBalancePence),
      supply: SUPPLY[b.supply],
    },
  }),
  '3.1': (b) => ({ $case: 'messageDisplayed', value: { meterTimeMs: b.meterTimeMs } }),
  '3.2': (b) => ({ $case: 'accessRestricted', value: { meterTimeMs: b.meterTimeMs } }),
  '4.1.1': (b) => ({
    $case: 'importRegisters',
    value: {
      totalActiveImportWh: b.totalActiveImportWh,
      touActiveImportWh: b.touActiveImportWh,
      meterTimeMs: b.meterTimeMs,
      gas: b.gas ? gasRegisters(b.gas) : undefined,
    },
  }),
  '4.1.2': (b) => ({
    $case: 'touMatrices',
    value: { rates: b.touMatrixWh.map((blockWh) => ({ blockWh })), meterTimeMs: b.meterTimeMs },
  }),
  '4.2': (b) => ({
    $case: 'exportRegisters',
    value: { totalActiveExportWh: b.totalActiveExportWh, meterTimeMs: b.meterTimeMs },
  }),
  '2.5': (b) => ({ $case: 'emergencyCreditActivated', value: prepayValues(b) }),
  '4.3': (b) => ({ $case: 'prepayValues', value: prepayValues(b) }),
  '4.6.1': (b) => ({
    $case: 'dailyReadLog',
    value: {
      source:
        b.source === 'derived-from-profile'
          ? DailyReadSource.DAILY_READ_SOURCE_DERIVED_FROM_PROFILE
          : DailyReadSource.DAILY_READ_SOURCE_DAILY_READ_LOG,
      entries: b.entries.map((e) => ({
        atMs: e.atMs,
        totalActiveImportWh: e.totalActiveImportWh,
        ...(e.volumeDm3 === undefined ? {} : { volumeDm3: e.volumeDm3 }),
      })),
    },
  }),
  '4.8.1': (b) => ({ $case: 'importProfile', value: profileData(b) }),
  '4.8.3': (b) => ({ $case: 'exportProfile', value: profileData(b) }),
  '4.8.2': (b) => ({ $case: 'reactiveImportProfile', value: b }),
  '6.25': (b) => ({ $case: 'electricitySupplyTamperStateSet', value: supplyTamperSet(b) }),
  '6.17': (b) => ({ $case: 'securityCredentialsIssued', value: certificationRequest(b) }),
  '6.24.1': (b) => ({ $case: 'remotePartyCredentials', value: remotePartyCredentials(b) }),
  '6.24.2': (b) => ({ $case: 'deviceCertificate', value: deviceCertificate(b) }),
  '6.15.2': (b) => ({ $case: 'deviceCredentialsUpdated', value: deviceCertificate(b) }),
  '6.15.1': (b) => ({ $case: 'remotePartyCredentialsUpdated', value: remotePartyUpdated(b) }),
  '4.10': (b) => ({
    $case: 'networkData',
    value: {
      rmsVoltageV: b.rmsVoltageV,
      averageRmsVoltageV: b.averageRmsVoltageV,
      voltageEvents: { ...b.voltageEvents },
      meterTimeMs: b.meterTimeMs,
      averageRmsVoltageProfile: b.averageRmsVoltageProfile.map((slot) => ({ ...slot })),
    },
  }),
  '4.17': (b) => ({
    $case: 'dailyConsumptionLog',
    value: {
      entries: b.entries.map((e) => ({
        dayStartMs: e.dayStartMs,
        importWh: e.importWh,
        ...(e.volumeDm3 === undefined ? {} : { volumeDm3: e.volumeDm3 }),
      })),
      // Filled in from the request by echoCredentials: the device model answers unencrypted.
      kaPublicSecurityCredentials: '',
    },
  }),
  '4.18': (b) => ({ $case: 'meterBalance', value: meterBalance(b) }),
  ...PREPAY_READ_BODIES,
  ...TARIFF_BODIES,
  ...AUX_LOAD_BODIES,
  ...LOG_AND_DEMAND_BODIES,
  '6.5': (b) => ({ $case: 'voltageConfigurationUpdated', value: { meterTimeMs: b.meterTimeMs } }),
  '4.15': (b) => ({ $case: 'loadLimitData', value: loadLimitData(b) }),
  '3.4': (b) => ({ $case: 'supplierNameUpdated', value: { meterTimeMs: b.meterTimeMs } }),
  '3.5': (b) => ({ $case: 'privacyPinDisabled', value: { meterTimeMs: b.meterTimeMs } }),
  '6.2.7': (b) => ({ $case: 'mpxnConfiguration', value: { ...b } }),
  '6.20.1': (b) => ({ $case: 'importMpxnSet', value: { ...b } }),
  '6.20.2': (b) => ({ $case: 'exportMpanSet', value: { ...b } }),
  '6.4.2': (b) => ({ $case: 'loadLimitCounterReset', value: loadLimitData(b) }),
  '6.2.1': ({ phases, ...b }) => ({
    $case: 'voltageConfiguration',
    value: { ...b, polyPhaseVoltageSettings: phases.map((p) => ({ ...p })) },
  }),
  '6.2.2': (b) => ({
    $case: 'randomisationConfiguration',
    value: { ...b, switchOffsets: [...b.switchOffsets] },
  }),
  '6.2.4': ({ gasSupplyStates, ...b }) => ({
    $case: 'deviceIdentity',
    value: {
      ...b,
      supply: b.supply === null ? undefined : SUPPLY[b.supply],
      ...gasSupplyLatches(gasSupplyStates),
    },
  }),
  '6.2.9': (b) => ({ $case: 'paymentMode', value: paymentModeStatus(b) }),
  '6.2.10': (b) => ({ $case: 'alertBehaviours', value: alertConfiguration(b) }),
  '6.22': (b) => ({ $case: 'alertConfiguration', value: alertConfiguration(b) }),
  '6.23': (b) => ({
    $case: 'supplierCredentials',
    value: {
      supplierId: b.supplierId,
      signingKeyId: b.signingKeyId,
      topUpFloor: b.topUpFloor,
      supplierFloorSeqNumber: b.supplierFloor,
    },
  }),
  '6.21': (b) => ({ $case: 'deviceHandedOver', value: deviceHandedOver(b) }),
  '8.5': (b) => ({
    $case: 'serviceOptedOut',
    value: {
      acbFloorSeqNumber: b.acbFloorSeq,
      acbCertificateSha256: b.certificateSha256,
      meterTimeMs: b.meterTimeMs,
    },
  }),
  '7.1': (b) => ({ $case: 'supplyEnabled', value: supplyStatus(b) }),
  '7.2': (b) => ({ $case: 'supplyDisabled', value: supplyStatus(b) }),
  '7.3': (b) => ({ $case: 'supplyArmed', value: supplyStatus(b) }),
  '7.4': (b) => ({ $case: 'supplyStatus', value: { supply: SUPPLY[b.supply], meterTimeMs: b.meterTimeMs } }),
  '11.2': (b) => ({ $case: 'firmwareVersion', value: firmwareVersion(b) }),
  '8.7.1': (b) => ({ $case: 'serviceJoined', value: { ...b } }),
  '8.7.2': (b) => ({ $case: 'serviceJoined', value: { ...b } }),
  '8.8.1': (b) => ({ $case: 'serviceUnjoined', value: { ...b } }),
  '8.8.2': (b) => ({ $case: 'serviceUnjoined', value: { ...b } }),
  '8.9': (b) => ({ $case: 'hanDeviceLog', value: { ...b } }),
  '8.11': (b) => ({ $case: 'hanDeviceLogUpdated', value: { ...b } }),
  '8.12.1': (b) => ({ $case: 'hanDeviceLogRestored', value: { ...b } }),
  '8.12.2': (b) => ({ $case: 'hanDeviceLogRestored', value: { ...b } }),
  '6.28': (b) => ({ $case: 'chfSubGhzConfigurationSet', value: structuredClone(b) }),
  '6.29': (b) => ({ $case: 'chfSubGhzChannelScanned', value: { ...b } }),
  '6.30': (b) => ({ $case: 'chfSubGhzConfiguration', value: structuredClone(b) }),
  '6.31': (b) => ({ $case: 'chfSubGhzChannel', value: { ...b } }),
  '6.32': (b) => ({ $case: 'chfSubGhzChannelLog', value: { ...b } }),
  '9.1': (b) => ({ $case: 'customerIdentificationNumberSent', value: { meterTimeMs: b.meterTimeMs } }),
  // Critical SRVs beyond supply and emergency credit.
  '1.1.1': (b) => ({
    $case: 'importTariffUpdated',
    value: {
      switchingTable: b.switchingTable,
      pricesPencePerKwh: b.pricesPencePerKWh.map(penceString),
      standingChargePencePerDay: penceString(b.standingChargePencePerDay),
      effectiveFromMs: b.effectiveFromMs,
      ...duisTariffOf(b.tariff),
    },
  }),
  '1.5': (b) => ({ $case: 'meterBalanceUpdated', value: meterBalance(b) }),
  '1.6': (b) => ({ $case: 'paymentModeUpdated', value: paymentModeStatus(b) }),
  '2.1': (b) => ({ $case: 'prepayConfigurationUpdated', value: prepayConfiguration(b) }),
  '2.3': (b) => ({
    $case: 'debtUpdated',
    value: {
      timeDebt1Pence: penceString(b.timeDebt1Pence),
      timeDebt2Pence: penceString(b.timeDebt2Pence),
      paymentDebtPence: penceString(b.paymentDebtPence),
      timeDebt1RecoveryPencePerDay: penceString(b.timeDebt1RecoveryPencePerDay),
      timeDebt2RecoveryPencePerDay: penceString(b.timeDebt2RecoveryPencePerDay),
      paymentDebtRecoveryPercent: b.paymentDebtRecoveryPercent,
    },
  }),
  '6.4.1': (b) => ({ $case: 'loadLimitingConfigured', value: loadLimitData(b) }),
  '6.11': (b) => ({ $case: 'clockSynchronised', value: clockSet(b) }),
  '8.1.1': (b) => ({ $case: 'deviceCommissioned', value: clockSet(b) }),
  '11.3': (b) => ({ $case: 'firmwareActivated', value: firmwareVersion(b) }),
  ...GAS_BODIES,
};

/** The response body of an executed SRV; INTERNAL when the hub has no mapping for an SRV the device executed. */
export function bodyOf(srv: string, body: unknown): Body {
  const map = Object.hasOwn(BODIES, srv)
    ? (BODIES[srv as keyof SrvBodyMap] as (b: unknown) => Body)
    : undefined;
  if (!map || body === undefined) {
    throw new DccError(GrpcStatus.INTERNAL, `no response body mapping for SRV ${srv}`);
  }
  return map(body);
}
