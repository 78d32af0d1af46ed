/** A device alert code as DUIS writes it: four upper-case hex digits, e.g. "8F66" (DCC-REFERENCE §6). */
export const ALERT_CODE_PATTERN = /^[0-9A-F]{4}$/;

/**
 * 0x8Fxx alerts are the critical ones (future-dated outcomes, supply outage, UTRN rejections, firmware), which
 * a device always sends; the rest can be switched off by 6.22. (Inferred from the code ranges: the reference
 * gives no list of configurable alerts.)
 */
export function isConfigurableAlert(code: number): boolean {
  return code < 0x8f00 || code > 0x8fff;
}

/**
 * The channels 6.22 switches per code, each with its ConfigureAlertBehaviour field pair (codes to enable, codes
 * to disable): WAN alerts, HAN alerts, alarms and the event log. The critical-alert rule holds on every channel:
 * a device never stops reporting or recording a critical event.
 */
export const ALERT_CHANNELS = {
  wanAlert: ['enableAlertCodes', 'disableAlertCodes'],
  hanAlert: ['enableHanAlertCodes', 'disableHanAlertCodes'],
  alarm: ['enableAlarmCodes', 'disableAlarmCodes'],
  eventLog: ['enableEventLogCodes', 'disableEventLogCodes'],
} as const;

export type AlertChannel = keyof typeof ALERT_CHANNELS;

/** Every channel's [enable, disable] field pair. */
export const ALERT_CHANNEL_LISTS = Object.values(ALERT_CHANNELS);
