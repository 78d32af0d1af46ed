import type { Eui64 } from '@dcc/domain';
import { MeterDevice, type SimulatedFleet } from '@dcc/meter';
import type { DeviceTransport } from '@dcc/meter-delivery';

/**
 * How a command reaches a SMETS2 meter and its answer comes back. Today the meter is simulated at the device
 * edge: the link is the meter's device model itself (`MeterDevice`, SMETS2 profile), run in the meter's actor,
 * its state stored as `meter.toBytes()`. Every device id routed here is reachable (routing comes from the
 * inventory); the fleet size only numbers the simulated estate. A delivery model of the CSP's WAN (latency, loss, retries) belongs here.
 */
export class Smets2Transport implements DeviceTransport<MeterDevice> {
  constructor(
    private readonly fleet: SimulatedFleet,
    private readonly clock: () => number = Date.now,
  ) {}

  open(deviceId: Eui64, stored: Uint8Array | undefined): MeterDevice | undefined {
    // Any SMETS2 device access control routes here is in the inventory: the simulated device is derived from its
    // id, whatever its number. Nothing stored: a fresh meter derived from its id and the fleet seed.
    return stored
      ? MeterDevice.fromState(deviceId, this.fleet.seed, stored, this.clock, this.fleet.meterOptions)
      : new MeterDevice(deviceId, this.fleet.seed, this.clock, this.fleet.meterOptions);
  }

  save(meter: MeterDevice): Uint8Array {
    return meter.toBytes();
  }

  trustedSupplier(meter: MeterDevice) {
    // Its 6.23 credentials, else its profile's default.
    return meter.inspect().trust ?? meter.profile.trustedSupplier;
  }

  send: DeviceTransport<MeterDevice>['send'] = (meter, command) => meter.run(command);

  nextWakeMs(meter: MeterDevice): number | undefined {
    return meter.nextWakeMs();
  }

  wake(meter: MeterDevice): void {
    meter.advance();
  }
}
