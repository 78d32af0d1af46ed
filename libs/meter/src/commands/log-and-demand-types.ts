import type { DeviceLogName } from '../device-logs.js';
import type { JsonValue } from '../meter-state.js';
import type { DemandRegisterName } from '../max-demand.js';

/** 6.13 Read Event Or Security Log: which log, over [startMs, endMs) meter time. */
export type ReadDeviceLogParams = { log: DeviceLogName; startMs: number; endMs: number };

/** 3.3 Clear Event Log: an ESME names its event log or its ALCS event log; other devices name none. */
export type ClearEventLogParams = { esmeLog?: 'event' | 'alcs' };

/** 6.18.1: the daily window, seconds after UTC midnight. */
export type DemandWindowParams = { startS: number; endS: number };

/** 6.18.2: the registers to reset. */
export type ResetMaxDemandParams = { registers: DemandRegisterName[] };

/** 6.12: the thresholds between the low, medium and high power bands, watts. */
export type PowerThresholdParams = { lowMediumW: number; mediumHighW: number };

export interface DeviceLogReading {
  log: DeviceLogName;
  /** Oldest first; codes as GBCS numbers, times meter time. */
  entries: { code: number; atMs: number }[];
  meterTimeMs: number;
}

export interface ActivePowerReading {
  activePowerImportW: number;
  meterTimeMs: number;
}

/** A maximum demand register: watts and the start of its half hour (meter time); 0, 0 when none counted. */
export interface DemandReading {
  powerW: number;
  atMs: number;
}

export interface MaxDemandImportReading {
  activePowerImport: DemandReading;
  configurableTimeActivePowerImport: DemandReading;
  meterTimeMs: number;
}

export interface MaxDemandExportReading {
  activePowerExport: DemandReading;
  meterTimeMs: number;
}

export interface MaxDemandConfigReading extends MaxDemandImportReading {
  activePowerExport: DemandReading;
  startTimeS: number;
  endTimeS: number;
}

export interface PowerThresholdsReading {
  lowMediumPowerThresholdW: number;
  mediumHighPowerThresholdW: number;
  meterTimeMs: number;
}

/** 6.8: the calendar of one fuel in the wire's shape (billing_calendar.proto), checked by libs/domain. */
export type BillingCalendarParams = { electricity?: JsonValue; gas?: JsonValue };

/** 6.8, 6.2.3: the calendar in force, as sent (neither when none was set). */
export interface BillingCalendarReading extends BillingCalendarParams {
  meterTimeMs: number;
}

/** 4.4.3: the import register at each billing date, oldest first. */
export interface BillingDataLog {
  entries: { atMs: number; totalImportWh: number }[];
}

/** 4.6.2: the total export register at each midnight, oldest first. */
export interface ExportDailyReadLog {
  entries: { atMs: number; totalActiveExportWh: number }[];
}
