import { subjects, type DurablePublisher } from '@dcc/bus';
import type { Eui64 } from '@dcc/domain';
import { AlertOccasion, DeviceAlertRaised, type DeviceAlert } from '@dcc/proto';
import { lazyCounter } from '@dcc/service-kit';
import { context, type Context } from '@opentelemetry/api';

const published = lazyCounter('@dcc/meter-delivery', 'dcc.meter.alerts', {
  description: 'Device alerts stored on ALERTS, by occasion',
});

/**
 * Where an alert came from: a command's answer (with its RequestID), a wake by the device's reminder, a network
 * event at the device edge (supply lost or back, a voltage excursion) or a UTRN keyed in at the premises.
 */
export type AlertSource =
  | { occasion: 'command'; requestId: string }
  | { occasion: 'wake' }
  | { occasion: 'grid' }
  | { occasion: 'keypad' }
  | { occasion: 'firmwareTransfer' };

const OCCASIONS = {
  command: AlertOccasion.ALERT_OCCASION_COMMAND,
  wake: AlertOccasion.ALERT_OCCASION_WAKE,
  grid: AlertOccasion.ALERT_OCCASION_GRID,
  keypad: AlertOccasion.ALERT_OCCASION_KEYPAD,
  firmwareTransfer: AlertOccasion.ALERT_OCCASION_FIRMWARE_TRANSFER,
} as const;

/**
 * The ALERTS message id of one alert: its identity (device, code, device time, a future-dated outcome's
 * RequestID). A command or wake redelivered after the alert was stored raises the same alert again from the same
 * stored state; the stream drops it as a duplicate inside its duplicate window, so a recipient gets it once.
 */
export function alertMessageId(deviceId: Eui64, alert: DeviceAlert): string {
  return `${deviceId}:${alert.code}:${alert.atMs}:${alert.requestId}`;
}

/**
 * Stores every alert a device raised on `dcc.evt.alert.<device>`, in the order raised, and resolves once all are
 * durable: the caller acknowledges the command or wake only after that, so no alert is lost to a crash.
 */
export async function publishAlerts(
  publisher: DurablePublisher,
  deviceId: Eui64,
  alerts: readonly DeviceAlert[],
  source: AlertSource,
  raisedAtMs: number,
  trace: Context = context.active(),
): Promise<void> {
  const occasion = OCCASIONS[source.occasion];
  for (const alert of alerts) {
    await publisher.publish(
      subjects.deviceAlert(deviceId),
      DeviceAlertRaised,
      {
        deviceId,
        alert,
        raisedAtMs,
        occasion,
        commandRequestId: source.occasion === 'command' ? source.requestId : '',
      },
      alertMessageId(deviceId, alert),
      trace,
    );
    published.add(1, { 'dcc.alert.occasion': source.occasion, 'dcc.alert.code': alert.code });
  }
}
