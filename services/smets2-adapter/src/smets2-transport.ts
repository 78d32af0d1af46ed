import { DccError, DEVICE_TYPES, isEsmeVariant, type Eui64 } from '@dcc/domain';
import {
  MeterDevice,
  type DeviceAlert,
  type KeypadDevice,
  type DeviceResult,
  type MeterOptions,
  type SimulatedFleet,
  type UntypedDeviceCommand,
} from '@dcc/meter';
import {
  applyGridEvent,
  executeOnce,
  packBytes,
  unpackBytes,
  type DeviceMemory,
  type DeviceTransport,
} from '@dcc/meter-delivery';
import type { DeviceGridEvent, MeterCommand } from '@dcc/proto';
import { routeOf } from './csp-region.js';
import type { CspWan } from './csp-wan.js';

/**
 * The link to one SMETS2 device: the simulated meter at the device edge (SMETS2 profile), stored as
 * `meter.toBytes()`, and the device's memory of the commands it executed within the turn (libs/meter-delivery).
 * Between turns (`rest`) only the stored bytes are kept, packed in a string (packed-bytes.ts): the meter is rebuilt
 * from them when a turn needs it, as an activation would, so an active device costs about its stored form rather
 * than a decoded meter (~2 KB).
 */
export interface Smets2Link {
  deviceId: Eui64;
  /** What was stored last (given to `open`, then each `save`), packed; undefined: a fresh meter. */
  stored: string | undefined;
  /** The fleet's meter options, or those with the type and variant the inventory recorded (adoptRecordedType). */
  options: MeterOptions;
  /** The meter while turns use it. */
  meter?: MeterDevice;
  /** Made by the first command of a turn, dropped at its end (`rest`). */
  executed?: DeviceMemory;
}

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
    const link: Smets2Link = {
      deviceId,
      stored: stored && packBytes(stored),
      options: this.fleet.meterOptions,
      // Named now, so the record keeps them in its own fields (added later they would need a side array, 40 B).
      meter: undefined,
      executed: undefined,
    };
    this.meterOf(link); // a state that cannot be read fails the activation, not a later turn
    return link;
  }

  save(link: Smets2Link): Uint8Array {
    const bytes = this.meterOf(link).toBytes();
    link.stored = packBytes(bytes);
    return bytes;
  }

  /** The turn is over and its outcome stored: the meter is rebuilt from `stored` when the next turn needs it. */
  rest(link: Smets2Link): void {
    link.meter = undefined;
    link.executed = undefined;
  }

  trustedSupplier(link: Smets2Link) {
    // Its 6.23 credentials, else its profile's default.
    return this.meterOf(link).trustedSupplier();
  }

  async send(
    link: Smets2Link,
    command: UntypedDeviceCommand,
    stored: MeterCommand | undefined,
  ): Promise<DeviceResult> {
    if (!stored) throw DccError.internal('a SMETS2 command must come with its stored request (its route)');
    this.adoptRecordedType(link, stored.deviceType, stored.esmeVariant);
    const deviceId = link.deviceId;
    const route = routeOf(stored, deviceId);
    const key = `${command.requestId ?? ''}@${stored.acceptedAtMs}`;
    const scheduled = stored.dspScheduleId !== undefined;
    const answer = await this.wan.deliverOver(
      route,
      deviceId,
      () => this.atDevice(link, key, command),
      scheduled,
    );
    return answer();
  }

  nextWakeMs(link: Smets2Link): number | undefined {
    return this.meterOf(link).nextWakeMs();
  }

  wake(link: Smets2Link): DeviceAlert[] {
    return this.meterOf(link).advance().alerts;
  }

  /** A simulated network event reaches the meter itself (no WAN: the supply and the voltage are local). */
  gridEvent(link: Smets2Link, event: DeviceGridEvent): DeviceAlert[] {
    return applyGridEvent(this.meterOf(link), event).alerts;
  }

  /** At the premises, not over the WAN: the keypad reaches the meter whatever its region's state. */
  keyIn(link: Smets2Link, utrn: string, via: KeypadDevice, atMs: number): DeviceAlert[] {
    return this.meterOf(link).keyInUtrn(utrn, via, atMs).alerts;
  }

  /**
   * A firmware image its comms hub forwards over the HAN (firmware-transfer.ts): the device, of the type the
   * inventory records, holds the image's hash and version (0x8F8A), or reports the transfer failed (0x8F89).
   */
  firmwareTransfer(
    link: Smets2Link,
    image: { imageHash: string; version: string } | undefined,
    deviceType: string,
  ): DeviceAlert[] {
    const meter = this.adoptRecordedType(link, deviceType);
    return (image ? meter.firmwareTransferred(image) : meter.firmwareTransferFailed()).alerts;
  }

  /**
   * The device is of the type (and, an ESME, of the variant) the inventory records (a CHF answers as a CHF, a GSME
   * as a GSME, a poly-phase ESME as one), not the fleet's default: the meter is rebuilt around its state with that
   * profile, once per activation (the link keeps it between turns). What the inventory does not give (a command
   * stored before it recorded it) leaves the device as it is.
   */
  private adoptRecordedType(link: Smets2Link, recorded: string | undefined, variant?: string): MeterDevice {
    const meter = this.meterOf(link);
    const profile = meter.profile;
    const deviceType = DEVICE_TYPES.find((type) => type === recorded) ?? profile.deviceType;
    const esmeVariant = variant !== undefined && isEsmeVariant(variant) ? variant : profile.esmeVariant;
    if (deviceType === profile.deviceType && esmeVariant === profile.esmeVariant) return meter;
    link.options = { ...this.fleet.meterOptions, deviceType, esmeVariant };
    link.meter = MeterDevice.fromState(
      link.deviceId,
      this.fleet.seed,
      meter.toState(),
      this.clock,
      link.options,
    );
    return link.meter;
  }

  /** The meter of the link, rebuilt from what was stored last when a turn needs it (nothing stored: a fresh one). */
  private meterOf(link: Smets2Link): MeterDevice {
    link.meter ??= link.stored
      ? MeterDevice.fromState(
          link.deviceId,
          this.fleet.seed,
          unpackBytes(link.stored),
          this.clock,
          link.options,
        )
      : new MeterDevice(link.deviceId, this.fleet.seed, this.clock, link.options);
    return link.meter;
  }

  /** The device edge: a command it already executed is answered from its memory, never run twice. */
  private atDevice(link: Smets2Link, key: string, command: UntypedDeviceCommand) {
    return executeOnce((link.executed ??= new Map()), key, () => this.meterOf(link).run(command));
  }
}
