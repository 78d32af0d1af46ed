import { readImportRegisters } from '@dcc/e2e';
import { SimulatedFleet } from '@dcc/meter';
import type { ServiceRequest } from '@dcc/proto';

/** 4.1.1 reads to random meters of the simulated fleet, with RequestID counters unique across runs. */
export class ReadGenerator {
  private readonly deviceIds: string[];
  // Microseconds since the epoch at start: above any earlier run's counters, and below 2^53 for centuries.
  private counter = Date.now() * 1_000;

  constructor(
    private readonly userId: string,
    fleetSize: number,
  ) {
    // Precomputed, so the load generator (in the same process as the hub) spends nothing on BigInt ids.
    const fleet = new SimulatedFleet(fleetSize);
    this.deviceIds = Array.from({ length: fleetSize }, (_, i) => fleet.deviceId(i));
  }

  next(): ServiceRequest {
    const deviceId = this.deviceIds[Math.floor(Math.random() * this.deviceIds.length)]!;
    return readImportRegisters(this.userId, deviceId, this.counter++);
  }
}
