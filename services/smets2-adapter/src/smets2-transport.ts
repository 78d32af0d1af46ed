import { DccError, type Eui64 } from '@dcc/domain';
import {
  MeterDevice,
  type DeviceAlert,
  type KeypadDevice,
  type DeviceResult,
  type SimulatedFleet,
  type UntypedDeviceCommand,
} from '@dcc/meter';
import type { DeviceTransport } from '@dcc/meter-delivery';
import type { MeterCommand } from '@dcc/proto';
import { routeOf } from './csp-region.js';
import type { CspWan } from './csp-wan.js';

/** Commands a device remembers having executed (their answers), so a repeated delivery is not run again. */
const REMEMBERED_COMMANDS = 16;

/**
 * The link to one SMETS2 device: the simulated meter at the device edge (SMETS2 profile), stored as
 * `meter.toBytes()`, and the device's memory of the commands it executed lately, by RequestID and acceptance
 * instant, with the answer it gave. A command's delivery attempts all happen within one turn of the device's
 * actor, while this link is active, so the memory need not outlive it.
 */
export interface Smets2Link {
  meter: MeterDevice;
  executed: Map<string, DeviceAnswer>;
}

/** The device's answer to a command: its result, or its refusal (a thrown DccError), replayed as given. */
type DeviceAnswer = () => DeviceResult;

/**
 * How a command reaches a SMETS2 meter and its answer comes back: over the WAN of the CSP region the Smart
 * Metering Inventory records for the device, through its comms hub (and a GSME's GPF), with the region's
 * delivery model, retries within the Target Response Time and E20/E21 when it runs out (csp-wan.ts). The meter
 * is simulated at the device edge; which devices exist, and their region and hubs, come from the inventory on
 * the stored command, never from the simulation.
 */
export class Smets2Transport implements DeviceTransport<Smets2Link> {
  constructor(
    private readonly fleet: SimulatedFleet,
    private readonly wan: CspWan,
    private readonly clock: () => number = Date.now,
  ) {}

  open(deviceId: Eui64, stored: Uint8Array | undefined): Smets2Link {
    // Nothing stored: a fresh meter derived from its id and the fleet seed.
    const meter = stored
      ? MeterDevice.fromState(deviceId, this.fleet.seed, stored, this.clock, this.fleet.meterOptions)
      : new MeterDevice(deviceId, this.fleet.seed, this.clock, this.fleet.meterOptions);
    return { meter, executed: new Map() };
  }

  save(link: Smets2Link): Uint8Array {
    return link.meter.toBytes();
  }

  trustedSupplier(link: Smets2Link) {
    // Its 6.23 credentials, else its profile's default.
    return link.meter.inspect().trust ?? link.meter.profile.trustedSupplier;
  }

  async send(
    link: Smets2Link,
    command: UntypedDeviceCommand,
    stored: MeterCommand | undefined,
  ): Promise<DeviceResult> {
    if (!stored) throw DccError.internal('a SMETS2 command must come with its stored request (its route)');
    const deviceId = link.meter.deviceId;
    const route = routeOf(stored, deviceId);
    const key = `${command.requestId ?? ''}@${stored.acceptedAtMs}`;
    const answer = await this.wan.deliver(route, deviceId, () => this.atDevice(link, key, command));
    return answer();
  }

  nextWakeMs(link: Smets2Link): number | undefined {
    return link.meter.nextWakeMs();
  }

  wake(link: Smets2Link): DeviceAlert[] {
    return link.meter.advance().alerts;
  }

  /** At the premises, not over the WAN: the keypad reaches the meter whatever its region's state. */
  keyIn(link: Smets2Link, utrn: string, via: KeypadDevice, atMs: number): DeviceAlert[] {
    return link.meter.keyInUtrn(utrn, via, atMs).alerts;
  }

  /** The device edge: a command it already executed is answered from its memory, never run twice. */
  private atDevice(link: Smets2Link, key: string, command: UntypedDeviceCommand) {
    const remembered = link.executed.get(key);
    if (remembered) return { result: remembered, executed: false };
    let result: DeviceAnswer;
    try {
      const done = link.meter.run(command);
      result = () => done;
    } catch (error) {
      // A refusal by the device's own rules is its answer too: a repeat gets the same refusal.
      result = () => {
        throw error;
      };
    }
    link.executed.set(key, result);
    if (link.executed.size > REMEMBERED_COMMANDS) link.executed.delete(link.executed.keys().next().value!);
    return { result, executed: true };
  }
}
