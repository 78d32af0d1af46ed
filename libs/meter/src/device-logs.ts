import { AlertCode, type DeviceAlert } from './alerts.js';
import type { DeviceLogs, MeterState } from './meter-state.js';

/**
 * The logs a device keeps of its own events (GBCS event log, security log; an ESME's power event log and
 * auxiliary load control switch event log), read by 6.13 and cleared by 3.3. Every alert the device raises is
 * an event it records, whether or not 6.22 lets it be sent; which log takes it depends on what it is about.
 * The model has no auxiliary load control switch, so that log stays empty (a real ESME without one answers the
 * same). Each log keeps the latest DEVICE_LOG_ENTRIES entries, the oldest going first.
 */
export type DeviceLogName = keyof DeviceLogs;

/** Entries each log keeps (a GBCS log is bounded; the model keeps 100 of each). */
export const DEVICE_LOG_ENTRIES = 100;

/** Security-relevant events: authenticity of what the device was given (UTRNs, firmware) and its firmware. */
const SECURITY_CODES: ReadonlySet<number> = new Set([
  AlertCode.UTRN_NOT_AUTHENTIC,
  AlertCode.FIRMWARE_VERIFICATION_FAILED,
  AlertCode.FIRMWARE_VERIFIED,
  AlertCode.RUNNING_FIRMWARE_CHANGED,
]);

/** An ESME's supply lost and restored go to its power event log. */
const POWER_CODES: ReadonlySet<number> = new Set([
  AlertCode.SUPPLY_INTERRUPTED,
  AlertCode.SUPPLY_RESTORED,
  AlertCode.SUPPLY_RESTORED_AFTER_LONG_OUTAGE,
]);

/** Which log of this device records the alert's event. */
export function logOf(code: number, deviceType: string): DeviceLogName {
  if (SECURITY_CODES.has(code)) return 'security';
  if (POWER_CODES.has(code) && deviceType === 'ESME') return 'power';
  return 'event';
}

/** The logs a device type keeps: every device its event and security logs; an ESME also power and ALCS. */
export function keepsLog(deviceType: string, log: DeviceLogName): boolean {
  return log === 'event' || log === 'security' || deviceType === 'ESME';
}

function emptyLogs(): DeviceLogs {
  return { event: [], security: [], power: [], alcs: [] };
}

/**
 * Records the events of the alerts raised (the device's logs, bounded), except those 6.22 switched off for
 * logging; the security log records everything (a User cannot hide security events from it).
 */
export function recordEvents(state: MeterState, deviceType: string, alerts: readonly DeviceAlert[]): void {
  if (alerts.length === 0) return;
  const logs = (state.deviceLogs ??= emptyLogs());
  const unlogged = state.disabledOnChannels.eventLog;
  for (const alert of alerts) {
    const name = logOf(alert.code, deviceType);
    if (name !== 'security' && unlogged.includes(alert.code)) continue;
    const log = logs[name];
    log.push([alert.code, alert.atMs]);
    if (log.length > DEVICE_LOG_ENTRIES) log.splice(0, log.length - DEVICE_LOG_ENTRIES);
  }
}

/** The entries of one log recorded in [startMs, endMs) (meter time), oldest first. */
export function logEntries(
  state: MeterState,
  log: DeviceLogName,
  startMs: number,
  endMs: number,
): { code: number; atMs: number }[] {
  return (state.deviceLogs?.[log] ?? [])
    .filter(([, atMs]) => atMs! >= startMs && atMs! < endMs)
    .map(([code, atMs]) => ({ code: code!, atMs: atMs! }));
}

/** 3.3: empties one log (the event log or an ESME's ALCS event log; the others cannot be cleared). */
export function clearLog(state: MeterState, log: 'event' | 'alcs'): void {
  if (!state.deviceLogs) return;
  state.deviceLogs[log] = [];
  if (Object.values(state.deviceLogs).every((entries) => entries.length === 0)) state.deviceLogs = null;
}
