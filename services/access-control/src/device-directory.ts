import type { Eui64 } from '@dcc/domain';
import { SimulatedFleet, type FleetDevice } from '@dcc/meter';

/** What access control needs to know about a target device. */
export interface DeviceDirectory {
  find(deviceId: Eui64): FleetDevice | undefined;
}

/**
 * Interim directory backed by the simulated fleet's arithmetic ids; the registration service's inventory
 * replaces it (its NATS lookup), without changing this interface.
 */
export function simulatedFleetDirectory(size: number): DeviceDirectory {
  return new SimulatedFleet(size);
}
