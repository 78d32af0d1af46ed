import {
  eui64FromBigInt,
  eui64ToBigInt,
  type DeviceType,
  type Eui64,
  type SmetsGeneration,
} from '@dcc/domain';
import type { MeterOptions } from './device-model.js';

/** First device id of the simulated SMETS2 electricity fleet; device i is BASE + i. */
const ESME_BASE = 0x00db_1200_0000_0000n;

export interface FleetDevice {
  deviceId: Eui64;
  type: DeviceType;
  generation: SmetsGeneration;
}

/**
 * A simulated estate of SMETS2 electricity meters with arithmetic device ids, so every process (access control,
 * adapters, load generators) agrees on the fleet from its size alone, with nothing to load.
 */
export class SimulatedFleet {
  /**
   * `meterOptions`: what every meter of the fleet is built with beyond its id and seed, e.g. the CoS party's
   * public key its manufacturer installed (configuration of the estate, never derived from a device id).
   */
  constructor(
    readonly size: number,
    readonly seed = 0,
    readonly meterOptions: MeterOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 0 || size > 2 ** 40)
      throw new RangeError(`fleet size ${size} is invalid`);
  }

  deviceId(index: number): Eui64 {
    return eui64FromBigInt(ESME_BASE + BigInt(index));
  }

  /** The device's index in the fleet, or -1 when it is not part of it. */
  indexOf(deviceId: Eui64): number {
    const offset = eui64ToBigInt(deviceId) - ESME_BASE;
    return offset >= 0n && offset < BigInt(this.size) ? Number(offset) : -1;
  }

  find(deviceId: Eui64): FleetDevice | undefined {
    return this.indexOf(deviceId) < 0 ? undefined : { deviceId, type: 'ESME', generation: 'SMETS2' };
  }
}
