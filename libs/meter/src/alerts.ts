import type { MeterState } from './meter-state.js';

/**
 * Device alert codes the model raises (DCC-REFERENCE §4.1, §4.2, §6, §8; GBCS alert code list as quoted there).
 * Single-phase codes only: the model is a single-element meter.
 */
export const AlertCode = {
  AVERAGE_RMS_OVER_VOLTAGE: 0x8002,
  AVERAGE_RMS_UNDER_VOLTAGE: 0x8006,
  EXTREME_OVER_VOLTAGE: 0x8020,
  VOLTAGE_SWELL: 0x8024,
  EXTREME_UNDER_VOLTAGE: 0x8028,
  VOLTAGE_SAG: 0x802c,
  AVERAGE_RMS_OVER_VOLTAGE_END: 0x8085,
  AVERAGE_RMS_UNDER_VOLTAGE_END: 0x8089,
  EXTREME_OVER_VOLTAGE_END: 0x808d,
  VOLTAGE_SWELL_END: 0x8091,
  EXTREME_UNDER_VOLTAGE_END: 0x8095,
  VOLTAGE_SAG_END: 0x8099,
  LOW_CREDIT: 0x810d,
  CREDIT_ADDED_LOCALLY: 0x810e,
  EMERGENCY_CREDIT_AVAILABLE: 0x8119,
  SUPPLY_ARMED_EMERGENCY_CREDIT: 0x8168,
  /** 0x81A7-9: debt collection completed. Which code belongs to which register is inferred. */
  TIME_DEBT_1_COLLECTED: 0x81a7,
  TIME_DEBT_2_COLLECTED: 0x81a8,
  PAYMENT_DEBT_COLLECTED: 0x81a9,
  EMERGENCY_CREDIT_EXHAUSTED: 0x81aa,
  EMERGENCY_CREDIT_ACTIVATED: 0x81ab,
  CREDIT_BELOW_DISABLEMENT_THRESHOLD: 0x8f0f,
  FIRMWARE_VERIFICATION_FAILED: 0x8f1c,
  SUPPLY_RESTORED: 0x8f35,
  SUPPLY_RESTORED_AFTER_LONG_OUTAGE: 0x8f36,
  RUNNING_FIRMWARE_CHANGED: 0x8f43,
  CREDIT_WOULD_EXCEED_MAX_METER_BALANCE: 0x8f47,
  UTRN_DUPLICATE: 0x8f51,
  SUPPLY_INTERRUPTED: 0x8f57,
  UTRN_EXCEEDS_MAX_CREDIT: 0x8f5b,
  UTRN_NOT_AUTHENTIC: 0x8f63,
  FUTURE_DATED_EXECUTED: 0x8f66,
  FUTURE_DATED_FAILED: 0x8f67,
  FIRMWARE_VERIFIED: 0x8f72,
  FIRMWARE_TRANSFER_FAILED: 0x8f89,
  FIRMWARE_TRANSFER_SUCCEEDED: 0x8f8a,
} as const;

export type AlertCodeValue = (typeof AlertCode)[keyof typeof AlertCode];

/** One alert the device raised: its code and the meter-clock time it was raised at. */
export interface DeviceAlert {
  code: number;
  /** Meter time, UTC milliseconds. */
  atMs: number;
  /** For future-dated outcomes: the RequestID of the command that executed or failed. */
  requestId?: string;
}

/** The DUIS form of an alert code: four upper-case hex digits, e.g. "8F66". */
export function alertCodeHex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

export { isConfigurableAlert } from '@dcc/domain';

/** The alerts the device actually sends: those not disabled by 6.22. */
export function sendable(state: MeterState, alerts: readonly DeviceAlert[]): DeviceAlert[] {
  if (state.disabledAlerts.length === 0) return [...alerts];
  return alerts.filter((alert) => !state.disabledAlerts.includes(alert.code));
}
