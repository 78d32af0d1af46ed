import { subjects, type DurablePublisher } from '@dcc/bus';
import { DccError, partitionOf, type Eui64 } from '@dcc/domain';
import type { DeviceEvents, MeterDevice } from '@dcc/meter';
import { DeviceGridEvent, SimulatedGridEvent } from '@dcc/proto';

/**
 * Header of a simulated network event in a device's mail (its value: "1"). The mail is a DeviceGridEvent rather
 * than a MeterCommand, so the device's actor runs it as an event at the device edge (supply lost, back, a
 * voltage measured), in turn with its commands, and stores the alerts it raises like any other.
 */
export const GRID_EVENT_HEADER = 'Dcc-Grid-Event';

/** Whether a device's mail is a simulated network event. */
export function isGridEventMail(headers: { get(name: string): string } | undefined): boolean {
  return headers?.get(GRID_EVENT_HEADER) === '1';
}

/**
 * Stores a network event in a device's mail (METER_MAIL, `dcc.meter.<path>.<partition>.<device>`), message id
 * `grid:<device>:<event>:<at>` so a repeated call inside the stream's duplicate window is not stored twice.
 */
export async function mailGridEvent(
  publisher: DurablePublisher,
  path: 's1' | 's2',
  partitions: number,
  event: DeviceGridEvent,
): Promise<void> {
  const deviceId = event.deviceId as Eui64;
  await publisher.publish(
    subjects.meterMail(path, partitionOf(deviceId, partitions), deviceId),
    DeviceGridEvent,
    event,
    `grid:${deviceId}:${event.event}:${event.atMs}`,
    undefined,
    { [GRID_EVENT_HEADER]: '1' },
  );
}

/** The event on a simulated meter: what the meter model does when its supply is lost, back, or its voltage. */
export function applyGridEvent(meter: MeterDevice, event: DeviceGridEvent): DeviceEvents {
  switch (event.event) {
    case SimulatedGridEvent.SIMULATED_GRID_EVENT_OUTAGE:
      return meter.powerOutage(event.atMs);
    case SimulatedGridEvent.SIMULATED_GRID_EVENT_RESTORE:
      return meter.powerRestored(event.atMs);
    case SimulatedGridEvent.SIMULATED_GRID_EVENT_VOLTAGE:
      return meter.voltageExcursion({
        fromMs: event.atMs - event.durationMs,
        toMs: event.atMs,
        rmsVoltageV: event.rmsVoltageV,
      });
    default:
      throw DccError.invalidArgument(`grid event ${event.event} is not outage, restore or voltage`);
  }
}
