import type { RemotePartyRole } from '@dcc/domain';
import type { PhaseVoltage } from './poly-phase-voltage.js';
import type { DeviceAlert } from './alerts.js';
import type { TariffBook } from './tariff-book.js';
import type { AuxLoadState } from './aux-load.js';
import type { GasState } from './gas.js';
import { emptySubGhz, type SubGhzState } from './sub-ghz.js';
import type { RateTable } from './weekly-series.js';
import type { HandedOverCredentials, HandoverRole } from './commands/types.js';

/**
 * Everything a meter must remember between commands, as plain data. Anything derivable from (device id, seed,
 * profile, time) is not here: consumption, export, voltage and the defaults of every setting come from the
 * device model. A `null` field means "the device default". All times are true (hub clock) UTC milliseconds
 * unless named otherwise; money is integer millipence. See state-codec.ts for the compact stored form.
 */
export interface MeterState {
  commissioned: boolean;
  /** Meter clock minus true time (6.11, 8.1.1). */
  clockOffsetMs: number;
  /** Start of the power outage in progress, or null. */
  outageSinceMs: number | null;
  supply: SupplyState;
  /** The supply was disabled by the prepayment rules (credit exhausted), not by a 7.2 command. */
  disabledForCredit: boolean;
  paymentMode: PaymentMode;
  /** Request counter high-water marks: [originator EUI-64, counter], least recently advanced first. */
  requestCounters: [string, bigint][];
  /** Supplier credentials the meter trusts; null = the profile's. */
  trust: TrustedSupplier | null;
  /** Highest UTRN counter accepted (or the CoS floor) for the trusted supplier. */
  topUpHwm: bigint;
  /** Import tariff in force; null = the default tariff. */
  tariff: Tariff | null;
  /** TOU registers (Wh, per rate) snapshot at touBaseMs; registers advance from there under `tariff`. */
  touBaseMs: number;
  touBaseWh: number[];
  /** Tariffs in DUIS form and the block counters (tariff-book.ts); null = none received, counters from 0. */
  tariffBook: TariffBook | null;
  /** Spans during which the premises were not supplied (disabled, armed, outage): [start, end or null]. */
  offIntervals: [number, number | null][];
  /** Import and export Wh of off intervals no longer retained, and the end of the last one dropped. */
  droppedOffImportWh: number;
  droppedOffExportWh: number;
  logHorizonMs: number;
  prepay: PrepayState;
  /** 8.7-8.11: the devices this one is joined with on the HAN, and a CHF's or GPF's device log (han.ts). */
  han: HanState;
  /** 6.28-6.32: a CHF's Sub-GHz radio (sub-ghz.ts). */
  subGhz: SubGhzState;
  /** 3.2: logs hide data from before this instant; null = no restriction. */
  tenancyRestrictionMs: number | null;
  /** 3.1: the last message sent to the display. */
  displayMessage: string | null;
  /** 9.1: the Customer Identification Number the DCC last sent the meter, shown to the consumer; null = none. */
  customerIdentificationNumber: string | null;
  /** 3.4: the supplier's name and telephone number the display shows; null = none set. */
  supplierContact: SupplierContact | null;
  /** 3.5: the consumer's data is shown without their privacy PIN. */
  privacyPinDisabled: boolean;
  /**
   * 8.5: the Access Control Broker the device trusts when it is not the DCC's (opted out of DCC services): its
   * counter floor and certificate's SHA-256; null = the DCC's.
   */
  accessControlBroker: { floorSeq: string; certificateSha256: string } | null;
  /** 6.21: the roles whose trust anchors were handed over to a party outside the DCC. */
  handedOver: Partial<Record<HandoverRole, HandedOverCredentials>>;
  /** 6.20.1, 6.20.2: the MPxNs the device was given; null = none. */
  mpxns: DeviceMpxns | null;
  voltage: VoltageConfig | null;
  /** 6.5 on a poly-phase ESME: each phase's average RMS settings; null = the defaults. */
  phaseVoltage: PhaseVoltage[] | null;
  /** Voltage events recorded: see VOLTAGE_EVENT_KINDS. */
  voltageCounters: number[] | null;
  /** 6.22: alert codes the device has been told not to send (sorted). */
  disabledAlerts: number[];
  /** 6.22: codes the device no longer raises on the HAN, sounds as alarms or logs (sorted). */
  disabledOnChannels: AlertChannelSettings;
  loadLimit: LoadLimit | null;
  /** 6.4.1's periods and supply action (kept while the threshold is off); null = never set. */
  loadLimitSettings: LoadLimitSettings | null;
  /** 6.25: what an ESME does to its supply on a tamper; null = never set (the device's default, unchanged). */
  supplyTamperState: SupplyTamperAction | null;
  /** 6.14.x, 7.5-7.16: auxiliary load switches and controllers; null = the device's defaults. */
  auxLoad: AuxLoadState | null;
  /** A GSME or GPF: 6.6's conversion checkpoints and 6.7's flow check; null = the defaults (gas.ts). */
  gas: GasState | null;
  /** Running firmware version (8 hex digits); null = the profile's. */
  firmwareVersion: string | null;
  /** An image transferred to the device and not yet activated. */
  stagedImage: FirmwareImage | null;
  /** Device future-dated commands waiting for their execution time, by time. */
  pending: PendingCommand[];
  /** Alerts raised while settling time for a command that was then refused; sent with the next answer. */
  outbox: DeviceAlert[];
  /** 6.13, 3.3: the logs the device keeps of its own events (device-logs.ts); null = all empty. */
  deviceLogs: DeviceLogs | null;
  /** 4.12.x, 6.18.x: maximum demand registers and their window (max-demand.ts); null = never read. */
  maxDemand: MaxDemandState | null;
  /** 6.12: [low-medium, medium-high] instantaneous power thresholds, watts; null = the device's defaults. */
  powerThresholdsW: [number, number] | null;
  /** 6.8: the billing calendar in force (billing-calendar.ts); null = none set. */
  billingCalendar: BillingCalendarState | null;
  /** 4.4.2: [atMs, import register Wh] at each change of payment mode or tariff, oldest first (billing-triggers.ts). */
  modeOrTariffCaptures: number[][];
  /** 6.17, 6.24.2: the generations of the device's own key pairs (security-credentials.ts); null = as made. */
  deviceKeys: DeviceKeyGenerations | null;
  /** 6.15.1: anchors installed for remote parties other than the supplier (trust-anchors.ts); {} = none. */
  remoteAnchors: Partial<Record<RemotePartyRole, RemoteAnchor>>;
}

/** A remote party's trust anchor as 6.15.1 installs it. */
export interface RemoteAnchor {
  /** The party's entity identifier (EUI-64). */
  entityId: string;
  /** Subject key identifiers of its digital signing and key agreement certificates' keys. */
  signingKeyId: string;
  keyAgreementKeyId: string;
  /** The originator counter floor installed with it (RemotePartyFloorSeqNumber), decimal. */
  floorSeqNumber: string;
}

/**
 * A device's own key pairs, [digital signature, key agreement], by generation: 0 is the pair it was made with,
 * each 6.17 generates the next. The pairs themselves derive from the generation (security-credentials.ts).
 */
export interface DeviceKeyGenerations {
  /** The pairs the device's certificates certify. */
  current: [number, number];
  /** Pairs generated on a 6.17 that await their certificate (6.15.2); null = none. */
  pending: [number | null, number | null];
}

/** 6.8's calendar in the wire's shape (billing_calendar.proto), checked by libs/domain, and when it was set. */
/** 6.22: per channel besides the WAN alerts, the codes switched off (sorted). */
export interface AlertChannelSettings {
  hanAlert: number[];
  alarm: number[];
  eventLog: number[];
}

export interface BillingCalendarState {
  fuel: 'electricity' | 'gas';
  calendar: JsonValue;
  /** True time it took effect: billing dates before it were not the device's. */
  setAtMs: number;
}

/** A device's event logs, oldest entry first, each entry [code, atMs meter time] (device-logs.ts). */
export interface DeviceLogs {
  event: number[][];
  security: number[][];
  power: number[][];
  alcs: number[][];
}

/** One maximum demand register: the highest half-hour demand (W) and its half hour's start (0, 0 when none). */
export type DemandRegister = [powerW: number, atMs: number];

export interface MaxDemandState {
  import: DemandRegister;
  export: DemandRegister;
  /** Import within the configurable daily window only (6.18.1). */
  window: DemandRegister;
  /** The window, seconds after UTC midnight; equal (0, 0) when none was set. */
  windowStartS: number;
  windowEndS: number;
  /** The half hours before this instant are counted in the registers. */
  scannedToMs: number;
}

export interface SupplierContact {
  name: string;
  telephone: string;
}

/** The MPxNs a device holds; empty strings for those never set. */
export interface DeviceMpxns {
  importMpan: string;
  secondaryImportMpan: string;
  importMprn: string;
  exportMpan: string;
}

export type SupplyState = 'enabled' | 'disabled' | 'armed';
export type PaymentMode = 'credit' | 'prepayment';

export interface TrustedSupplier {
  supplierId: string;
  keyId: string;
  /**
   * The supplier's prepayment top-up KA public key (base64 SPKI DER) the meter verifies UTRNs with; null: none
   * installed, so every UTRN is refused as not authentic.
   */
  topUpKey: string | null;
  /**
   * The public key (base64 SPKI DER) of the digital signing certificate the device installed (6.15.1 for the
   * Supplier role), which it verifies the supplier's critical commands with, as a GBCS device verifies with the
   * certificate it holds. Absent: the profile's or a 6.23 swap's key, known only by `keyId`, which the device edge
   * resolves from the Users' registered keys.
   */
  signingKey?: string;
}

export interface Tariff {
  table: RateTable;
  /** Price of each rate, millipence per kWh. */
  pricesMp: number[];
  standingMpPerDay: number;
}

export interface PrepayState {
  /** Meter balance; negative while emergency credit is in use. */
  balanceMp: number;
  /** True time the balance, debt and alert flags are settled to (prepayment mode only). */
  settledMs: number;
  ecActive: boolean;
  /** Alert latches: LOW_CREDIT_LATCH, EC_AVAILABLE_LATCH. */
  latches: number;
  config: PrepayConfig | null;
  debt: DebtState | null;
  /** 4.14, 4.4.4, 4.4.5: the prepayment daily read log and the billing data logs; null = all empty. */
  logs: PrepayLogs | null;
  /** The non-disablement calendar 2.1 last set, as sent (non-disablement.ts applies it); null = none. */
  calendar: NonDisablementCalendar | null;
}

/** 2.1's calendar in the wire's shape (libs/proto non_disablement_calendar.proto), checked by libs/domain. */
export interface NonDisablementCalendar {
  fuel: 'electricity' | 'gas';
  calendar: JsonValue;
}

/**
 * The logs a prepayment meter keeps, newest last, at most PREPAY_LOG_ENTRIES each (prepay-logs.ts). Money in
 * millipence; credits and debt payments at meter time.
 */
export interface PrepayLogs {
  /** At each UTC midnight in prepayment mode (true time, as 4.6.1): [atMs, balanceMp, ecRemainingMp, time1Mp, time2Mp, paymentMp]. */
  daily: number[][];
  /** Each credit applied by a top-up: [atMs, creditMp]. */
  credits: number[][];
  /** Each payment-based debt recovery from a top-up: [atMs, recoveredMp, paymentDebtAfterMp]. */
  debtPayments: number[][];
}

export interface PrepayConfig {
  /** Cap on time-based debt recovery per day; null = no cap. */
  debtRecoveryCapMpPerDay: number | null;
  emergencyCreditLimitMp: number;
  emergencyCreditThresholdMp: number;
  lowCreditThresholdMp: number;
  maxMeterBalanceMp: number;
  maxCreditThresholdMp: number;
  disablementThresholdMp: number;
  /** 1.6 SuspendDebtDisabled: no time-based debt recovery while the supply is off. */
  suspendDebtDisabled: boolean;
  /** 1.6 SuspendDebtEmergency: no time-based debt recovery while emergency credit is in use. */
  suspendDebtEmergency: boolean;
}

export interface DebtState {
  time1Mp: number;
  time2Mp: number;
  paymentMp: number;
  time1RateMpPerDay: number;
  time2RateMpPerDay: number;
  /** Share of each top-up that goes to the payment-based debt, percent. */
  paymentRecoveryPercent: number;
}

/** A device's HAN relations, oldest first. */
export interface HanState {
  /** 8.7 / 8.8: the devices this device is joined with, and when each joined (meter time). */
  joins: HanEntry[];
  /** 8.11: a CHF's device log (the devices allowed on its HAN) or a GPF's; empty on other devices. */
  log: HanEntry[];
}

export interface HanEntry {
  deviceId: string;
  /** Meter time the entry was added, UTC milliseconds. */
  addedMs: number;
  /** Whether the entry came with an install code (8.11 Add); joins carry none. */
  installCode: boolean;
}

export interface VoltageConfig {
  averageOverV: number;
  averageUnderV: number;
  extremeOverV: number;
  extremeUnderV: number;
  swellV: number;
  sagV: number;
  averagePeriodS: number;
  extremePeriodS: number;
  sagSwellPeriodS: number;
}

export interface LoadLimit {
  thresholdW: number;
  /** Events counted before sinceMs (kept across a threshold change, zeroed by 6.4.2). */
  counterBase: number;
  /** Counting under thresholdW starts here. */
  sinceMs: number;
}

/** What the ESME does to its supply when the load limit is exceeded (DUIS LoadLimitSupplyState). */
export type LoadLimitSupplyAction = 'unchanged' | 'disable';

/** DUIS SupplyTamperState of an ESME (6.25). */
export type SupplyTamperAction = 'unchanged' | 'locked';

export interface LoadLimitSettings {
  /** Seconds the import must stay above the threshold to count as exceeding it; null = not set. */
  periodS: number | null;
  /** Seconds a load-limit disablement lasts before the supply is armed again; null = not set. */
  restorationPeriodS: number | null;
  supplyAction: LoadLimitSupplyAction | null;
}

export interface FirmwareImage {
  hash: string;
  version: string;
}

/** JSON-safe data: what pending command parameters may hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface PendingCommand {
  srv: string;
  /** Execution date-time in meter time. */
  executeAtMs: number;
  requestId: string | null;
  params: JsonValue;
}

export function initialState(commissioned = true): MeterState {
  return {
    commissioned,
    clockOffsetMs: 0,
    outageSinceMs: null,
    supply: 'enabled',
    disabledForCredit: false,
    paymentMode: 'credit',
    requestCounters: [],
    trust: null,
    topUpHwm: 0n,
    tariff: null,
    touBaseMs: 0,
    touBaseWh: [0, 0],
    tariffBook: null,
    offIntervals: [],
    droppedOffImportWh: 0,
    droppedOffExportWh: 0,
    logHorizonMs: 0,
    prepay: {
      balanceMp: 0,
      settledMs: 0,
      ecActive: false,
      latches: 0,
      config: null,
      debt: null,
      logs: null,
      calendar: null,
    },
    tenancyRestrictionMs: null,
    displayMessage: null,
    customerIdentificationNumber: null,
    supplierContact: null,
    privacyPinDisabled: false,
    accessControlBroker: null,
    handedOver: {},
    mpxns: null,
    voltage: null,
    phaseVoltage: null,
    voltageCounters: null,
    disabledAlerts: [],
    disabledOnChannels: { hanAlert: [], alarm: [], eventLog: [] },
    loadLimit: null,
    loadLimitSettings: null,
    supplyTamperState: null,
    auxLoad: null,
    gas: null,
    firmwareVersion: null,
    stagedImage: null,
    pending: [],
    outbox: [],
    deviceLogs: null,
    maxDemand: null,
    powerThresholdsW: null,
    billingCalendar: null,
    modeOrTariffCaptures: [],
    deviceKeys: null,
    remoteAnchors: {},
    han: { joins: [], log: [] },
    subGhz: emptySubGhz(),
  };
}

/** The latest instant the state records a change at: events must not be processed before it. */
export function lastChangeMs(state: MeterState): number {
  let latest = Math.max(state.touBaseMs, state.logHorizonMs, state.outageSinceMs ?? 0);
  if (state.paymentMode === 'prepayment') latest = Math.max(latest, state.prepay.settledMs);
  const last = state.offIntervals.at(-1);
  if (last) latest = Math.max(latest, last[1] ?? last[0]);
  if (state.loadLimit) latest = Math.max(latest, state.loadLimit.sinceMs);
  return latest;
}
