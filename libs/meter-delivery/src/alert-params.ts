import { DccError } from '@dcc/domain';
import { alertCodeHex, type AlertConfiguration as ModelAlertConfiguration } from '@dcc/meter';
import type { AlertConfiguration, ConfigureAlertBehaviour } from '@dcc/proto';

const ALERT_CODE = /^[0-9A-Fa-f]{4}$/;

/** Alert codes as the wire carries them ("810D") → the model's numbers. */
function alertCodes(srv: string, field: string, codes: readonly string[]): number[] {
  return codes.map((code) => {
    if (!ALERT_CODE.test(code)) {
      throw DccError.invalidArgument(
        `SRV ${srv}: ${field} holds "${code}", not an alert code of four hex digits`,
      );
    }
    return Number.parseInt(code, 16);
  });
}

/**
 * 6.22: each API list as the device parameter the model reads ("enable"/"disable" are the WAN alerts); empty
 * lists are left out.
 */
const DEVICE_KEYS = {
  enableAlertCodes: ['enable', 'enable_alert_codes'],
  disableAlertCodes: ['disable', 'disable_alert_codes'],
  enableHanAlertCodes: ['hanAlertEnable', 'enable_han_alert_codes'],
  disableHanAlertCodes: ['hanAlertDisable', 'disable_han_alert_codes'],
  enableAlarmCodes: ['alarmEnable', 'enable_alarm_codes'],
  disableAlarmCodes: ['alarmDisable', 'disable_alarm_codes'],
  enableEventLogCodes: ['eventLogEnable', 'enable_event_log_codes'],
  disableEventLogCodes: ['eventLogDisable', 'disable_event_log_codes'],
} as const satisfies Record<keyof ConfigureAlertBehaviour, readonly [string, string]>;

export function alertBehaviourParams(srv: string, body: ConfigureAlertBehaviour): Record<string, number[]> {
  const params: Record<string, number[]> = {};
  for (const [field, [key, wireName]] of Object.entries(DEVICE_KEYS)) {
    const codes = alertCodes(srv, wireName, body[field as keyof ConfigureAlertBehaviour]);
    if (codes.length > 0) params[key] = codes;
  }
  return params;
}

/** 6.22 and 6.2.10 answers: the model's codes per channel as the wire carries them ("810D"). */
export function alertConfiguration(b: ModelAlertConfiguration): AlertConfiguration {
  return {
    disabledAlertCodes: b.disabledAlerts.map(alertCodeHex),
    disabledHanAlertCodes: b.disabledHanAlerts.map(alertCodeHex),
    disabledAlarmCodes: b.disabledAlarms.map(alertCodeHex),
    disabledEventLogCodes: b.disabledEventLogs.map(alertCodeHex),
  };
}
