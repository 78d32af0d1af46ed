import type { PhaseVoltage } from '../poly-phase-voltage.js';
import type {
  CertificationRequestReading,
  CredentialTypeParams,
  DeviceCertificateParams,
  DeviceCertificateReading,
  RemotePartyCredentialsReading,
  RemotePartyRolesParams,
} from './security-credential-commands.js';
import type {
  AlcsReading,
  BoostButtonReading,
  ControllerConfigurationReading,
  ControllerLevel,
  ControllerOperationalReading,
} from '../aux-load.js';
import type {
  AlcDescriptionsParams,
  AlcSchedulerParams,
  AuxOverrideParams,
  BoostChangeParams,
  BoostReadParams,
  ControllerSchedulerParams,
  RandomisedOffsetParams,
  SwitchParams,
} from './aux-load-params.js';
import type { RequestId } from '@dcc/domain';
import type { DeviceAlert } from '../alerts.js';
import type { Signer } from '../credentials.js';
import type {
  DeviceMpxns,
  JsonValue,
  LoadLimitSupplyAction,
  SupplyTamperAction,
  NonDisablementCalendar,
  PaymentMode,
  SupplyState,
  VoltageConfig,
} from '../meter-state.js';
import type { SubGhzChannel, SubGhzConfig } from '../sub-ghz.js';
import type {
  RemotePartyCredentialsUpdatedReading,
  RemotePartyReplacementParams,
} from './trust-anchor-commands.js';
import type { UtrnValueClass } from '../utrn.js';
import type { VoltageEventKind } from '../voltage.js';
import type { DuisTariffParams, TariffBodyMap, TariffParamMap } from './tariff-types.js';
import type { GasRegisterReading } from '../gas.js';
import type {
  GasConfigurationReading,
  GasConversionParams,
  GasFlowParams,
  GasNetworkDataReading,
} from './gas-types.js';
import type {
  ActivePowerReading,
  BillingCalendarParams,
  BillingCalendarReading,
  BillingDataLog,
  ExportDailyReadLog,
  ClearEventLogParams,
  DemandWindowParams,
  DeviceLogReading,
  MaxDemandConfigReading,
  MaxDemandExportReading,
  MaxDemandImportReading,
  PowerThresholdParams,
  PowerThresholdsReading,
  ReadDeviceLogParams,
  ResetMaxDemandParams,
} from './log-and-demand-types.js';

export type * from './log-and-demand-types.js';

// ---------------------------------------------------------------------------------------------------------
// Parameters (money in pence, at most three decimals; times UTC milliseconds; energy Wh; power W)
// ---------------------------------------------------------------------------------------------------------

/**
 * 1.1.1 Update Import Tariff (Primary Element): DUIS's own form (tariff-types.ts), or the simple form of one daily
 * switching table.
 */
export type UpdateImportTariffParams = DuisTariffParams | SimpleTariffParams;

export type SimpleTariffParams = {
  /** The rate (1-based) each half hour of the day counts to, 00:00 first: 48 entries. */
  switchingTable: number[];
  /** Price of each rate, pence per kWh; rates 1..n, n at most 8. */
  pricesPencePerKWh: number[];
  standingChargePencePerDay: number;
};

/**
 * 1.5 Update Meter Balance: adjust by a signed amount (ECS04a, GCS40a/c) or reset to zero (ECS04b, GCS40b/d).
 * `balanceMode` is DUIS's PrepaymentMode / CreditMode wrapper: the model keeps one meter balance in either payment
 * mode, so it is echoed, not a condition.
 */
export type UpdateMeterBalanceParams = ({ adjustPence: number } | { reset: true }) & {
  balanceMode?: PaymentMode;
};

/**
 * 1.6 Update Payment Mode. To prepayment, DUIS's Prepayment element may carry the disablement threshold and the
 * two debt-recovery suspensions; to credit, nothing.
 */
export type UpdatePaymentModeParams = {
  mode: PaymentMode;
  suspendDebtDisabled?: boolean;
  suspendDebtEmergency?: boolean;
  disablementThresholdPence?: number;
};

/** 2.1 Update Prepay Configuration: any subset. */
export type UpdatePrepayConfigParams = {
  /** Cap on time-based debt recovery per day; null removes the cap. */
  debtRecoveryCapPencePerDay?: number | null;
  emergencyCreditLimitPence?: number;
  emergencyCreditThresholdPence?: number;
  lowCreditThresholdPence?: number;
  maxMeterBalancePence?: number;
  maxCreditThresholdPence?: number;
  disablementThresholdPence?: number;
  /** DUIS's UpdatePrepayConfigElectricity or UpdatePrepayConfigGas. */
  fuel?: 'electricity' | 'gas';
  /** The non-disablement calendar of that fuel, in the wire's shape (non_disablement_calendar.proto). */
  electricityCalendar?: JsonValue;
  gasCalendar?: JsonValue;
};

/** 2.2 Top Up Device. */
export type TopUpParams = { utrn: string };

/** 2.3 Update Debt: new values for any subset of the debt registers and recovery rates. */
export type UpdateDebtParams = {
  timeDebt1Pence?: number;
  timeDebt2Pence?: number;
  paymentDebtPence?: number;
  timeDebt1RecoveryPencePerDay?: number;
  timeDebt2RecoveryPencePerDay?: number;
  /** Share of each top-up that goes to the payment-based debt, 0..100. */
  paymentDebtRecoveryPercent?: number;
};

/** 3.1 Display Message. */
export type DisplayMessageParams = { message: string };

/** 3.2 Restrict Access For Change Of Tenancy. */
export type RestrictAccessParams = { restrictionDateTimeMs: number };

/** ReadLogPeriod of 4.6.1, 4.8.1, 4.8.3 and 4.17: [startMs, endMs). */
export type ReadLogPeriod = { startMs: number; endMs: number };

/**
 * 6.4.1 Update Device Configuration (Load Limiting General Settings): a null threshold switches it off; an absent
 * period or supply action keeps the meter's setting.
 */
export type LoadLimitParams = {
  thresholdW: number | null;
  periodS?: number;
  restorationPeriodS?: number;
  supplyAction?: LoadLimitSupplyAction;
};

/** 6.5 Update Device Configuration (Voltage): any subset of thresholds (V) and periods (s). */
export type UpdateVoltageConfigParams = {
  averageOverV?: number;
  averageUnderV?: number;
  extremeOverV?: number;
  extremeUnderV?: number;
  swellV?: number;
  sagV?: number;
  averagePeriodS?: number;
  extremePeriodS?: number;
  sagSwellPeriodS?: number;
  /** DUIS RMSVoltageCountersNotReset: keep the voltage event counters (otherwise 6.5 zeroes them). */
  keepCounters?: boolean;
  /** DUIS PolyPhaseVoltageSettings (a poly-phase ESME's, in place of the three single-phase averages above). */
  phases?: PhaseVoltage[];
};

/** 6.11 Synchronise Clock and 8.1.1 Commission Device: the date-time to set the meter clock to. */
/**
 * 6.11 and 8.1.1: the date-time to set (UTC ms) and DUIS's TolerancePeriod (seconds): the clock is set only while
 * the device's own clock is within that many seconds of it.
 */
export type SetClockParams = { timeMs: number; toleranceS: number };

/** 6.22 Configure Alert Behaviour: alert codes to enable and to disable (critical 0x8Fxx codes cannot be). */
/** 6.22: codes to enable, then disable, per channel ("enable"/"disable" are the WAN alerts). */
export type ConfigureAlertsParams = Partial<
  Record<
    | 'enable'
    | 'disable'
    | 'hanAlertEnable'
    | 'hanAlertDisable'
    | 'alarmEnable'
    | 'alarmDisable'
    | 'eventLogEnable'
    | 'eventLogDisable',
    number[]
  >
>;

/** 6.23 Update Security Credentials (CoS). */
export type UpdateSupplierCredentialsParams = {
  supplierId: string;
  signingKeyId: string;
  /** SupplierPrepaymentTopUpFloorSeqNumber: UTRN counters must exceed it. Decimal string (64-bit). */
  topUpFloor: string;
  /** The gaining supplier's prepayment top-up KA public key (base64 SPKI DER) the device verifies UTRNs with. */
  topUpKey: string;
  /** SupplierFloorSeqNumber: the gaining supplier's RequestID counters must exceed it. Decimal string (64-bit). */
  supplierFloor: string;
  /**
   * ApplyTimeBasedCPVChecks: the window ("from-to", UTC ms) every replacement certificate is valid in; the device
   * refuses the swap when its clock is outside it at execution. Absent: no time-based checks.
   */
  validity?: string;
  /**
   * The CoS party's signature (ECDSA P-256 / SHA-256, DER, base64) over credentialSwapPayload of this device,
   * request, supplier, key id, floors, top-up key and validity. Without a valid one the device refuses the swap
   * (PERMISSION_DENIED).
   */
  cosSignature?: string;
};

/** 8.5 Service Opt Out: the replacement Access Control Broker's credentials (DUIS ServiceOptOut). */
export type ServiceOptOutParams = {
  /** ACBFloorSeqNumber, decimal (64-bit). */
  acbFloorSeq: string;
  /** The replacement ACB's key-agreement certificate, base64 DER. */
  certificate: string;
  /** The certificates that issued it, issuer first, base64 DER each. */
  certificationPath: string[];
  /** ApplyTimeBasedCPVChecks. */
  timeBasedChecks: boolean;
};

/** 6.21: the Remote Party whose trust anchors are handed over. */
export type HandoverRole = 'supplier' | 'networkOperator';

/** 6.21 Request Handover Of DCC Controlled Device (DUIS RequestHandoverOfDCCControlledDevice). */
export type HandoverParams = {
  role: HandoverRole;
  /** RemotePartyFloorSeqNumber, decimal (64-bit). */
  floorSeq: string;
  /** RemotePartyPrepaymentTopUpFloorSeqNumber (supplier only), decimal (64-bit). */
  topUpFloorSeq?: string;
  /** The replacement certificates, base64 DER; the top-up one for a supplier only. */
  signingCertificate: string;
  keyAgreementCertificate: string;
  topUpCertificate?: string;
  /** The certificates that issued them, issuer first, base64 DER each. */
  certificationPath: string[];
  /** ApplyTimeBasedCPVChecks. */
  timeBasedChecks: boolean;
};

/** 11.3 Activate Firmware. */
export type ActivateFirmwareParams = { imageHash: string };

export type ImportMpxnParams = { importMpan: string; secondaryImportMpan?: string } | { importMprn: string };
export type ExportMpanParams = { exportMpan: string };
export type SupplierNameParams = { name: string; telephone: string };

export interface SrvParamMap extends TariffParamMap {
  '6.14.1': AlcDescriptionsParams;
  '6.14.2': AlcSchedulerParams;
  '6.14.3': ControllerSchedulerParams;
  '7.5': AuxOverrideParams;
  '7.6': AuxOverrideParams;
  '7.7': undefined;
  '7.8': SwitchParams;
  '7.9': BoostChangeParams;
  '7.10': BoostChangeParams;
  '7.11': BoostReadParams;
  '7.12': RandomisedOffsetParams;
  '7.13': ControllerLevel;
  '7.14': undefined;
  '7.15': undefined;
  '7.16': ControllerLevel;
  '1.1.1': UpdateImportTariffParams;
  '1.5': UpdateMeterBalanceParams;
  '1.6': UpdatePaymentModeParams;
  '2.1': UpdatePrepayConfigParams;
  '2.2': TopUpParams;
  '2.3': UpdateDebtParams;
  '2.5': undefined;
  '3.1': DisplayMessageParams;
  '3.2': RestrictAccessParams;
  '3.4': SupplierNameParams;
  '3.5': undefined;
  '4.1.1': undefined;
  '4.1.2': undefined;
  '4.2': undefined;
  '4.3': undefined;
  '4.6.1': ReadLogPeriod;
  '4.8.1': ReadLogPeriod;
  '4.8.3': ReadLogPeriod;
  '4.8.2': ReadLogPeriod;
  '6.25': { supplyTamperState: SupplyTamperAction };
  '6.17': CredentialTypeParams;
  '6.24.1': RemotePartyRolesParams;
  '6.24.2': CredentialTypeParams;
  '6.15.2': DeviceCertificateParams;
  '6.15.1': RemotePartyReplacementParams;
  /** The period of the average RMS voltage profile, if one is wanted. */
  '4.10': ReadLogPeriod | undefined;
  '4.4.4': ReadLogPeriod;
  '4.4.5': ReadLogPeriod;
  '4.13': undefined;
  '4.14': ReadLogPeriod;
  '4.15': undefined;
  '4.17': ReadLogPeriod;
  '4.18': undefined;
  '6.4.1': LoadLimitParams;
  '6.2.1': undefined;
  '6.2.2': undefined;
  '6.2.4': undefined;
  '6.2.9': undefined;
  '6.2.7': undefined;
  '6.2.10': undefined;
  '6.4.2': undefined;
  '6.5': UpdateVoltageConfigParams;
  '6.11': SetClockParams;
  '6.20.1': ImportMpxnParams;
  '6.20.2': ExportMpanParams;
  '6.22': ConfigureAlertsParams;
  '6.23': UpdateSupplierCredentialsParams;
  '8.5': ServiceOptOutParams;
  '6.21': HandoverParams;
  '7.1': undefined;
  '7.2': undefined;
  '7.3': undefined;
  '7.4': undefined;
  '8.1.1': SetClockParams;
  '11.2': undefined;
  '11.3': ActivateFirmwareParams;
  '6.2.8': undefined;
  '6.6': GasConversionParams;
  '6.7': GasFlowParams;
  '14.1': undefined;
  '6.13': ReadDeviceLogParams;
  '3.3': ClearEventLogParams;
  '4.16': undefined;
  '4.12.1': undefined;
  '4.12.2': undefined;
  '6.18.1': DemandWindowParams;
  '6.18.2': ResetMaxDemandParams;
  '6.12': PowerThresholdParams;
  '6.2.5': undefined;
  '6.27': undefined;
  '6.8': BillingCalendarParams;
  '6.2.3': undefined;
  '4.4.3': ReadLogPeriod;
  '4.6.2': ReadLogPeriod;
  '4.4.2': ReadLogPeriod;
  '8.7.1': HanJoinParams;
  '8.7.2': HanJoinParams;
  '8.8.1': HanJoinParams;
  '8.8.2': HanJoinParams;
  '8.9': ReadHanDeviceLogParams;
  '8.11': UpdateHanDeviceLogParams;
  '8.12.1': RestoreHanDeviceLogParams;
  '8.12.2': RestoreGpfDeviceLogParams;
  '6.28': SubGhzConfig;
  '6.29': undefined;
  '6.30': undefined;
  '6.31': undefined;
  '6.32': ReadLogPeriod;
  '9.1': undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------

/** What a meter answers to 4.1.1 Read Instantaneous Import Registers. */
export interface ImportRegisterReading {
  totalActiveImportWh: number;
  /** One register per TOU rate, rate 1 first (default tariff: [day, night]). */
  touActiveImportWh: number[];
  meterTimeMs: number;
  /** A GSME or GPF: the register in the gas meter's shape (totalActiveImportWh is its energy). */
  gas?: GasRegisterReading;
}

/** 4.1.2: TOU registers as a matrix [rate][block]; the model's tariffs have one block. */
export interface TouMatrixReading {
  touMatrixWh: number[][];
  meterTimeMs: number;
}

export interface ExportRegisterReading {
  totalActiveExportWh: number;
  meterTimeMs: number;
}

export interface TariffSummary {
  switchingTable: number[];
  pricesPencePerKWh: number[];
  standingChargePencePerDay: number;
  /** When the tariff took effect, meter time. */
  effectiveFromMs: number;
  /** The DUIS-form tariff now in force, when 1.1.1 gave one (the fields above: its daily table for metering). */
  tariff?: JsonValue;
}

export interface MeterBalanceReading {
  meterBalancePence: number;
  emergencyCreditBalancePence: number;
  meterTimeMs: number;
  /** The payment mode in force (4.18) or, for 1.5, the DUIS mode wrapper the change was sent in. */
  paymentMode: PaymentMode;
}

export interface PrepayValues {
  paymentMode: PaymentMode;
  meterBalancePence: number;
  emergencyCreditActive: boolean;
  emergencyCreditInUsePence: number;
  emergencyCreditRemainingPence: number;
  timeDebt1Pence: number;
  timeDebt2Pence: number;
  paymentDebtPence: number;
  meterTimeMs: number;
}

export interface PaymentModeStatus {
  paymentMode: PaymentMode;
  supply: SupplyState;
  disablementThresholdPence: number;
  suspendDebtDisabled: boolean;
  suspendDebtEmergency: boolean;
}

export interface PrepayConfigReading {
  debtRecoveryCapPencePerDay: number | null;
  emergencyCreditLimitPence: number;
  emergencyCreditThresholdPence: number;
  lowCreditThresholdPence: number;
  maxMeterBalancePence: number;
  maxCreditThresholdPence: number;
  disablementThresholdPence: number;
}

/** 4.13 Read Prepayment Configuration: the configuration in force and the settings 1.6 made. */
export interface PrepaymentConfigurationReading extends PrepayConfigReading {
  paymentMode: PaymentMode;
  suspendDebtDisabled: boolean;
  suspendDebtEmergency: boolean;
  /** Share of each top-up that goes to the payment-based debt, percent (2.3). */
  paymentDebtRecoveryPercent: number;
  meterTimeMs: number;
  /** The non-disablement calendar 2.1 last set, as sent; null when none was. */
  calendar: NonDisablementCalendar | null;
}

/** 4.14: one midnight of the prepayment daily read log (meter time). */
export interface PrepaymentDailyReadEntry {
  atMs: number;
  meterBalancePence: number;
  emergencyCreditBalancePence: number;
  timeDebt1Pence: number;
  timeDebt2Pence: number;
  paymentDebtPence: number;
}

/** 4.4.5: one prepayment credit applied by a top-up (meter time). */
export interface PrepaymentCreditEntry {
  atMs: number;
  creditPence: number;
}

/** 4.4.4: one payment-based debt recovery from a top-up (meter time). */
export interface DebtPaymentEntry {
  atMs: number;
  recoveredPence: number;
  paymentDebtAfterPence: number;
}

/** Entries of a prepayment log read (4.14, 4.4.4, 4.4.5), oldest first. */
export interface LogEntries<E> {
  entries: E[];
}

export interface TopUpReceipt {
  creditedPence: number;
  valueClass: UtrnValueClass;
  /** The UTRN counter the device inferred and now holds as its high-water mark (decimal). */
  counter: string;
  meterBalancePence: number;
  supply: SupplyState;
}

export interface DebtReading {
  timeDebt1Pence: number;
  timeDebt2Pence: number;
  paymentDebtPence: number;
  timeDebt1RecoveryPencePerDay: number;
  timeDebt2RecoveryPencePerDay: number;
  paymentDebtRecoveryPercent: number;
}

export interface Acknowledged {
  meterTimeMs: number;
}

export interface DailyReadLog {
  /** SMETS1 without a midnight read: "derived-from-profile" (see MeterProfile.noMidnightRead). */
  source: 'daily-read-log' | 'derived-from-profile';
  /** A GSME or GPF: volumeDm3 is the volume register, totalActiveImportWh the energy derived from it. */
  entries: { atMs: number; totalActiveImportWh: number; volumeDm3?: number }[];
}

/** 4.8.2: an ESME's reactive import per half hour. */
export interface ReactiveProfileData {
  firstSlotStartMs: number;
  slotMs: number;
  /** One value per half hour, varh. */
  valuesVarh: number[];
}

export interface ProfileData {
  /** Start of the first half hour returned (the requested start, rounded up and moved past hidden data). */
  firstSlotStartMs: number;
  slotMs: number;
  /** One value per half hour, Wh. */
  valuesWh: number[];
  /** A GSME or GPF (4.8.1): the volume of each half hour, dm3. */
  valuesDm3?: number[];
}

export interface DailyConsumptionLog {
  /** A GSME or GPF: volumeDm3 is the day's volume, importWh the energy derived from it. */
  entries: { dayStartMs: number; importWh: number; volumeDm3?: number }[];
}

export interface NetworkData {
  rmsVoltageV: number;
  averageRmsVoltageV: number;
  voltageEvents: Record<VoltageEventKind, number>;
  meterTimeMs: number;
  /** An ESME's average RMS voltage per completed half hour of the request's period (none without one). */
  averageRmsVoltageProfile: { startMs: number; voltageV: number }[];
}

export interface LoadLimitData {
  thresholdW: number | null;
  counter: number;
  meterTimeMs: number;
  /** 6.4.1's other settings as last written (all null before any). */
  periodS: number | null;
  restorationPeriodS: number | null;
  supplyAction: LoadLimitSupplyAction | null;
}

export interface SupplyStatus {
  supply: SupplyState;
  meterTimeMs: number;
}

export interface ClockSet {
  meterTimeMs: number;
  /** Meter clock minus hub clock after the command. */
  clockOffsetMs: number;
  commissioned: boolean;
}

/** 6.22, 6.2.10: the alert codes switched off on each channel (sorted). */
export interface AlertConfiguration {
  /** Not sent over the WAN. */
  disabledAlerts: number[];
  disabledHanAlerts: number[];
  disabledAlarms: number[];
  disabledEventLogs: number[];
}

/** 6.21: the trust anchors a role now has on the device (counter floors, certificates' SHA-256). */
export interface HandedOverCredentials {
  floorSeq: string;
  signingSha256: string;
  keyAgreementSha256: string;
  topUpFloorSeq?: string;
  topUpSha256?: string;
}

/** 6.21's answer. */
export interface DeviceHandedOverReading extends HandedOverCredentials {
  role: HandoverRole;
  meterTimeMs: number;
}

/** 8.5: the Access Control Broker credentials the device now trusts. */
export interface ServiceOptedOutReading {
  acbFloorSeq: string;
  certificateSha256: string;
  meterTimeMs: number;
}

export interface SupplierCredentials {
  supplierId: string;
  signingKeyId: string;
  topUpFloor: string;
  /** The RequestID counter floor now in force for the supplier (decimal, 64-bit). */
  supplierFloor: string;
}

export interface FirmwareVersionReading {
  version: string;
  /** Version of an image transferred and not yet activated. */
  pendingImageVersion: string | null;
}

/** 6.2.1: the voltage settings in force (6.5's, else the device's defaults). */
export interface VoltageConfigReading extends VoltageConfig {
  /** A poly-phase ESME's settings per phase; empty on any other device. */
  phases: PhaseVoltage[];
  meterTimeMs: number;
}

/** 6.2.2: the randomised offset limit (7.12) and the offset the ESME draws for each load switch, seconds. */
export interface RandomisationReading {
  randomisedOffsetLimitS: number;
  switchOffsets: { switchIndex: number; randomisedOffsetS: number }[];
  meterTimeMs: number;
}

/** 6.2.4: the device's own identity. */
export interface DeviceIdentityReading {
  deviceId: string;
  deviceType: string;
  firmwareVersion: string;
  /** The supply switch (ESME) or valve (GSME); null for a device without one. */
  supply: SupplyState | null;
  meterTimeMs: number;
  /** A GSME: its supply depletion and tamper states (6.7's latches). */
  gasSupplyStates?: { depletionLocked: boolean; tamperLocked: boolean };
}

/** 6.2.7, 6.20.1, 6.20.2: the MPxNs the device holds. */
export interface MpxnReading extends DeviceMpxns {
  meterTimeMs: number;
}

export interface SrvBodyMap extends TariffBodyMap {
  '6.14.1': AlcsReading;
  '6.14.2': AlcsReading;
  '6.14.3': ControllerConfigurationReading;
  '7.5': AlcsReading;
  '7.6': AlcsReading;
  '7.7': AlcsReading;
  '7.8': AlcsReading;
  '7.9': AlcsReading;
  '7.10': AlcsReading;
  '7.11': BoostButtonReading;
  '7.12': AlcsReading;
  '7.13': ControllerOperationalReading;
  '7.14': ControllerConfigurationReading;
  '7.15': ControllerOperationalReading;
  '7.16': ControllerOperationalReading;
  '1.1.1': TariffSummary;
  '1.5': MeterBalanceReading;
  '1.6': PaymentModeStatus;
  '2.1': PrepayConfigReading;
  '2.2': TopUpReceipt;
  '2.3': DebtReading;
  '2.5': PrepayValues;
  '3.1': Acknowledged;
  '3.2': Acknowledged;
  '3.4': Acknowledged;
  '3.5': Acknowledged;
  '4.1.1': ImportRegisterReading;
  '4.1.2': TouMatrixReading;
  '4.2': ExportRegisterReading;
  '4.3': PrepayValues;
  '4.6.1': DailyReadLog;
  '4.8.1': ProfileData;
  '4.8.3': ProfileData;
  '4.8.2': ReactiveProfileData;
  '6.25': { supplyTamperState: SupplyTamperAction; meterTimeMs: number };
  '6.17': CertificationRequestReading;
  '6.24.1': RemotePartyCredentialsReading;
  '6.24.2': DeviceCertificateReading;
  '6.15.2': DeviceCertificateReading;
  '6.15.1': RemotePartyCredentialsUpdatedReading;
  '4.10': NetworkData;
  '4.15': LoadLimitData;
  '4.4.4': LogEntries<DebtPaymentEntry>;
  '4.4.5': LogEntries<PrepaymentCreditEntry>;
  '4.13': PrepaymentConfigurationReading;
  '4.14': LogEntries<PrepaymentDailyReadEntry>;
  '4.17': DailyConsumptionLog;
  '4.18': MeterBalanceReading;
  '6.4.1': LoadLimitData;
  '6.2.1': VoltageConfigReading;
  '6.2.2': RandomisationReading;
  '6.2.4': DeviceIdentityReading;
  '6.2.9': PaymentModeStatus;
  '6.2.7': MpxnReading;
  '6.2.10': AlertConfiguration;
  '6.4.2': LoadLimitData;
  '6.5': Acknowledged;
  '6.11': ClockSet;
  '6.20.1': MpxnReading;
  '6.20.2': MpxnReading;
  '6.22': AlertConfiguration;
  '6.23': SupplierCredentials;
  '8.5': ServiceOptedOutReading;
  '6.21': DeviceHandedOverReading;
  '7.1': SupplyStatus;
  '7.2': SupplyStatus;
  '7.3': SupplyStatus;
  '7.4': SupplyStatus;
  '8.1.1': ClockSet;
  '11.2': FirmwareVersionReading;
  '11.3': FirmwareVersionReading;
  '6.2.8': GasConfigurationReading;
  '6.6': GasConfigurationReading;
  '6.7': GasConfigurationReading;
  '14.1': GasNetworkDataReading;
  '6.13': DeviceLogReading;
  '3.3': Acknowledged;
  '4.16': ActivePowerReading;
  '4.12.1': MaxDemandImportReading;
  '4.12.2': MaxDemandExportReading;
  '6.18.1': MaxDemandConfigReading;
  '6.18.2': MaxDemandConfigReading;
  '6.12': PowerThresholdsReading;
  '6.2.5': PowerThresholdsReading;
  '6.27': Acknowledged;
  '6.8': BillingCalendarReading;
  '6.2.3': BillingCalendarReading;
  '4.4.3': BillingDataLog;
  '4.6.2': ExportDailyReadLog;
  '4.4.2': BillingDataLog;
  '8.7.1': HanJoinReading;
  '8.7.2': HanJoinReading;
  '8.8.1': HanJoinReading;
  '8.8.2': HanJoinReading;
  '8.9': HanDeviceLogReading;
  '8.11': HanDeviceLogReading;
  '8.12.1': HanDeviceLogRestoredReading;
  '8.12.2': HanDeviceLogRestoredReading;
  '6.28': SubGhzConfigReading;
  '6.29': SubGhzChannelReading;
  '6.30': SubGhzConfigReading;
  '6.31': SubGhzChannelReading;
  '6.32': SubGhzChannelLog;
  '9.1': Acknowledged;
}

export type SupportedSrv = keyof SrvBodyMap;

// ---------------------------------------------------------------------------------------------------------
// Commands and their results
// ---------------------------------------------------------------------------------------------------------

interface CommandEnvelope {
  /** DUIS RequestID (string or parsed). The device refuses a counter not above the originator's last. */
  requestId?: string | RequestId;
  /** Who signed a critical command; required for critical SRVs. */
  signer?: Signer;
  /** Device future-dating (FD pattern "Device"): execution date-time on the meter's clock. */
  executionTimeMs?: number;
}

/** A typed command for one supported SRV. */
export type DeviceCommand<S extends SupportedSrv = SupportedSrv> = CommandEnvelope & {
  srv: S;
} & (undefined extends SrvParamMap[S] ? { params?: undefined } : { params: SrvParamMap[S] });

/** A command as it arrives from a transport: SRV and parameters unchecked. */
export type UntypedDeviceCommand = CommandEnvelope & { srv: string; params?: unknown };

/** 8.7.x and 8.8.x: the other device of the join or unjoin. */
export interface HanJoinParams {
  otherDeviceId: string;
}

/** 8.9: whether each entry also says if it came with an install code (DUIS ReadSecurityDetails). */
export interface ReadHanDeviceLogParams {
  securityDetails: boolean;
}

/** 8.11 Update HAN Device Log: add a device to the CHF's device log (with its whitelisting details) or remove it. */
export type UpdateHanDeviceLogParams =
  | {
      deviceId: string;
      add: { joinTimePeriod: number; installCode: string; importMpxn?: string; secondaryImportMpan?: string };
    }
  | { deviceId: string; remove: true };

/** 8.7.x and 8.8.x: the device's joins after the command. */
export interface HanJoinReading {
  otherDeviceId: string;
  changed: boolean;
  joinedDeviceIds: string[];
  meterTimeMs: number;
}

/**
 * 8.12.1 and 8.12.2: the old CHF's or GPF's id and its saved device log, which access control fills from the
 * inventory (the User names only the old device).
 */
export interface RestoreHanDeviceLogParams {
  oldChfId: string;
  savedEntries: SavedDeviceLogEntry[];
}

/** 8.12.2: as 8.12.1, from the old GPF. */
export interface RestoreGpfDeviceLogParams {
  oldGpfId: string;
  savedEntries: SavedDeviceLogEntry[];
}

/** One device of a saved device log: its id and inventory type. */
export interface SavedDeviceLogEntry {
  deviceId: string;
  deviceType: string;
}

/** 8.12.1 and 8.12.2: the new device's log once restored, and how many entries the restore added. */
export interface HanDeviceLogRestoredReading {
  oldDeviceId: string;
  entries: { deviceId: string; addedMs: number }[];
  restoredCount: number;
  meterTimeMs: number;
}

/** 8.9 and 8.11: a device log (CHF, GPF) or join details (other devices). */
export interface HanDeviceLogReading {
  entries: { deviceId: string; addedMs: number; installCodeUsed?: boolean }[];
  changed: boolean;
  meterTimeMs: number;
}

/** 6.28 and 6.30: the CHF's Sub-GHz configuration in force. */
export interface SubGhzConfigReading {
  configuration: SubGhzConfig;
  meterTimeMs: number;
}

/** 6.29 and 6.31: the channel the CHF is on; 6.29 says whether its scan moved it. */
export interface SubGhzChannelReading {
  channel: SubGhzChannel;
  changed: boolean;
  meterTimeMs: number;
}

/** 6.32: the channel changes in the period. */
export interface SubGhzChannelLog {
  changes: { atMs: number; channel: SubGhzChannel }[];
  meterTimeMs: number;
}

/** Why a device refused a command it understood. */
export type RejectionReason =
  | 'NOT_COMMISSIONED'
  | 'WRONG_PAYMENT_MODE'
  | 'INVALID_SUPPLY_TRANSITION'
  | 'INSUFFICIENT_CREDIT'
  | 'EMERGENCY_CREDIT_UNAVAILABLE'
  | 'UTRN_DUPLICATE'
  | 'UTRN_NOT_AUTHENTIC'
  | 'UTRN_EXCEEDS_MAX_CREDIT'
  | 'CREDIT_EXCEEDS_MAX_METER_BALANCE'
  | 'UNKNOWN_FIRMWARE_IMAGE'
  | 'NOTHING_TO_CANCEL'
  /** 1.2.x: no tariff element of that kind to re-price, or prices of another kind than the GSME's tariff. */
  | 'NO_TARIFF_TO_REPRICE'
  | 'NO_SUCH_SWITCH'
  /** 6.13 or 3.3 named a log this device does not keep (power and ALCS event logs are an ESME's). */
  | 'NO_SUCH_LOG'
  | 'DEVICE_LOG_FULL'
  /** 6.11 / 8.1.1: the device's clock is further from the time to set than the TolerancePeriod allows. */
  | 'CLOCK_OUTSIDE_TOLERANCE'
  /** 6.5: poly-phase settings to a single-phase ESME, or single-phase averages to a poly-phase one. */
  | 'WRONG_ESME_VARIANT'
  /** 8.5: the replacement ACB certificate's path did not validate (GBCS certification path validation). */
  | 'CERTIFICATE_REJECTED'
  /** After 8.5 the device trusts another Access Control Broker and refuses the DCC's commands. */
  | 'OPTED_OUT'
  /** 6.21 named a role whose trust anchor this device type does not hold. */
  | 'NO_SUCH_TRUST_ANCHOR'
  /** After 6.21 the device trusts another party in that role and refuses the DCC's commands only it may send. */
  | 'HANDED_OVER'
  /** 6.17: the device cannot generate a key pair (GBCS CS02c "Key Pair Generation Failed"). */
  | 'KEY_PAIR_GENERATION_FAILED'
  /** 6.24.2: the device holds no certificate of that usage (GBCS CS02e "No Certificate Held"). */
  | 'NO_CERTIFICATE_HELD'
  /** 6.15.2: the certificate's key is no pair the device generated on a 6.17 and holds pending. */
  | 'NO_PENDING_KEY_PAIR'
  /** 6.15.1: the command's signer is not the party GBCS lets replace that anchor. */
  | 'SIGNER_NOT_AUTHORISED'
  /** 6.23 with time-based checks: the device's clock is outside the replacement certificates' validity. */
  | 'CERTIFICATE_NOT_VALID_NOW';

/**
 * The device's answer. `executed`: done now, `body` holds the answer. `scheduled`: a device future-dated command
 * accepted for later (its outcome comes as alert 0x8F66 / 0x8F67). `cancelled`: a pending one was cancelled.
 * `rejected`: the device understood the command and refused it by its own rules (the request counter is still
 * consumed). Malformed, replayed, unsigned or unsupported commands are not answered this way: they throw DccError
 * and change nothing but what the passage of time changed.
 * `alerts` holds every alert raised during the call, including time-driven ones, in time order.
 */
export interface DeviceResult<B = unknown> {
  srv: string;
  outcome: 'executed' | 'scheduled' | 'cancelled' | 'rejected';
  body?: B;
  rejection?: { reason: RejectionReason; message: string };
  alerts: DeviceAlert[];
  meterTimeMs: number;
  /** Whether the persisted state changed (the runtime need not save it otherwise). */
  stateChanged: boolean;
}

export type {
  AlcDescriptionsParams,
  AlcSchedulerParams,
  AlcsReading,
  AuxOverrideParams,
  BoostButtonReading,
  BoostChangeParams,
  BoostReadParams,
  ControllerConfigurationReading,
  ControllerLevel,
  ControllerOperationalReading,
  ControllerSchedulerParams,
  RandomisedOffsetParams,
  SwitchParams,
};
