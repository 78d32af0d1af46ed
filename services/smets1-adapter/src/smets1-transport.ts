import type { KeyObject } from 'node:crypto';
import { DccError, GrpcStatus, type Eui64 } from '@dcc/domain';
import {
  MeterDevice,
  meterProfile,
  type DeviceAlert,
  type DeviceResult,
  type MeterOptions,
  type ReadLogPeriod,
  type UntypedDeviceCommand,
} from '@dcc/meter';
import {
  executeOnce,
  packBytes,
  unpackBytes,
  type DeviceMemory,
  type DeviceTransport,
} from '@dcc/meter-delivery';
import type { MeterCommand } from '@dcc/proto';
import { cohortOf } from './cohort.js';
import { verifyCountersignature } from './countersignature.js';
import type { Countersigner } from './dco.js';
import { CACHED_SRV, type HalfHourlyCache } from './half-hourly-cache.js';
import type { S1ServiceProviders } from './s1-service-providers.js';

/** The device types the SMETS1 device edge models, by the byte that leads their stored state. */
const DEVICE_TYPES = ['ESME', 'GSME'] as const;
type Smets1DeviceType = (typeof DEVICE_TYPES)[number];

/**
 * The link to one SMETS1 device: the simulated meter at the device edge (SMETS1 profile: no midnight read log,
 * no TOU matrices), made on the first command from the type the inventory recorded for it, then restored from
 * its stored state (its type byte first); and the device's memory of the commands it executed within the turn,
 * so an S1 service provider's repeated delivery is not run again (libs/meter-delivery). Between turns (`rest`)
 * only the stored bytes are kept; the meter is rebuilt from them when a turn needs it.
 */
export interface Smets1Link {
  deviceId: Eui64;
  /**
   * What was stored last (given to `open`, then each `save`), packed (packed-bytes in libs/meter-delivery: a flat
   * string costs far less heap than a Uint8Array); empty or undefined: no meter made yet.
   */
  stored: string | undefined;
  /** The meter while turns use it. */
  meter?: MeterDevice;
  /** Made by the first command of a turn, dropped at its end (`rest`). */
  executed?: DeviceMemory;
}

export interface Smets1TransportOptions {
  /** The DCO lanes: hub-wide (dco-lanes.ts) in the service, or one process's Dco. */
  dco: Countersigner;
  providers: S1ServiceProviders;
  cache: HalfHourlyCache;
  /** The DCO public key the device path verifies countersignatures with. */
  dcoPublicKey: KeyObject;
  seed: number;
  meterOptions?: MeterOptions;
  clock?: () => number;
}

/**
 * How a command reaches a SMETS1 device: a 4.8.1 profile read the half-hourly cache already holds is answered
 * from it (the device is not woken); any other command of a cohort out of service waits in METER_MAIL; the rest
 * pass the DCO of the device's cohort (checked and countersigned, one at a time per cohort: dco.ts), are carried
 * by the cohort's S1 service provider (its delivery model: retries within the TRT, E20/E21, at most once at the
 * device: s1-service-providers.ts), and at the device edge run only if the DCO's countersignature verifies.
 * Which devices are SMETS1, their type and cohort come from the Smart Metering Inventory on the stored command,
 * never from the simulation.
 */
export class Smets1Transport implements DeviceTransport<Smets1Link> {
  private readonly clock: () => number;

  constructor(private readonly options: Smets1TransportOptions) {
    this.clock = options.clock ?? Date.now;
  }

  open(deviceId: Eui64, stored: Uint8Array | undefined): Smets1Link {
    // Every field named now, so the record keeps them in its own slots (added later they need a side array).
    const link: Smets1Link = {
      deviceId,
      stored: stored && packBytes(stored),
      meter: undefined,
      executed: undefined,
    };
    this.meterOf(link); // a state that cannot be read fails the activation, not a later turn
    return link;
  }

  save(link: Smets1Link): Uint8Array {
    const meter = this.meterOf(link);
    if (!meter) return new Uint8Array(0);
    const state = meter.toBytes();
    const bytes = new Uint8Array(state.length + 1);
    // Only ESME and GSME are ever made here (firstActivation), so the type has its byte.
    bytes[0] = DEVICE_TYPES.indexOf(meter.profile.deviceType as Smets1DeviceType);
    bytes.set(state, 1);
    link.stored = packBytes(bytes);
    return bytes;
  }

  /** The turn is over and its outcome stored: the meter is rebuilt from `stored` when the next turn needs it. */
  rest(link: Smets1Link): void {
    link.meter = undefined;
    link.executed = undefined;
  }

  trustedSupplier(link: Smets1Link) {
    // Before its first command a device trusts its profile's default, as a fresh meter does.
    return this.meterOf(link)?.trustedSupplier() ?? meterProfile(this.options.meterOptions).trustedSupplier;
  }

  async send(
    link: Smets1Link,
    command: UntypedDeviceCommand,
    stored: MeterCommand | undefined,
  ): Promise<DeviceResult> {
    const { dco, providers, cache } = this.options;
    // The DCO checks and countersigns the stored request: without it nothing can reach a SMETS1 device.
    if (!stored) throw DccError.internal('a SMETS1 command must come with its stored request');
    const cohort = cohortOf(stored.smets1Cohort, link.deviceId);
    const period = command.srv === CACHED_SRV ? (command.params as ReadLogPeriod) : undefined;
    if (period) {
      const cached = cache.get(link.deviceId, period);
      if (cached) return cached;
    }
    // Held before the DCO: a cohort out of service has nothing countersigned, nothing sent.
    providers.holdIfOutOfService(cohort, link.deviceId);
    const countersignature = await dco.process(cohort, stored, command);
    // One stored command (RequestID, acceptance instant) runs at most once at the device, however often sent.
    const key = `${stored.request?.requestId ?? ''}@${stored.acceptedAtMs}`;
    const answer = await providers.deliver(
      cohort,
      [],
      link.deviceId,
      () =>
        executeOnce((link.executed ??= new Map()), key, () =>
          this.atDevice(link, command, stored, countersignature),
        ),
      stored.dspScheduleId !== undefined,
    );
    const result = answer();
    if (period) cache.put(link.deviceId, period, result);
    else if (result.stateChanged) cache.forget(link.deviceId);
    return result;
  }

  nextWakeMs(link: Smets1Link): number | undefined {
    return this.meterOf(link)?.nextWakeMs();
  }

  wake(link: Smets1Link): DeviceAlert[] {
    return this.meterOf(link)?.advance().alerts ?? [];
  }

  /**
   * A firmware image the cohort's S1 service provider forwards to the device (firmware-transfer.ts): it holds the
   * image's hash and version (0x8F8A), or reports the transfer failed (0x8F89). No DCO countersignature: the
   * image is not a command, and activating it (11.3, critical) passes the DCO as every command does.
   */
  firmwareTransfer(
    link: Smets1Link,
    image: { imageHash: string; version: string } | undefined,
    deviceType: string,
  ): DeviceAlert[] {
    const meter = (link.meter = this.meterOf(link) ?? this.firstActivation(link.deviceId, deviceType));
    return (image ? meter.firmwareTransferred(image) : meter.firmwareTransferFailed()).alerts;
  }

  /** The device edge: only a command the DCO countersigned for this device runs. */
  private atDevice(
    link: Smets1Link,
    command: UntypedDeviceCommand,
    stored: MeterCommand,
    countersignature: Uint8Array,
  ): DeviceResult {
    const countersigned =
      stored.request !== undefined &&
      verifyCountersignature(this.options.dcoPublicKey, link.deviceId, stored.request, countersignature);
    if (!countersigned) {
      throw new DccError(
        GrpcStatus.PERMISSION_DENIED,
        `device ${link.deviceId} refused a command without a valid DCO countersignature`,
      );
    }
    link.meter = this.meterOf(link) ?? this.firstActivation(link.deviceId, stored.deviceType);
    return link.meter.run(command);
  }

  /** The link's meter, rebuilt from what was stored last when a turn needs it; undefined before its first command. */
  private meterOf(link: Smets1Link): MeterDevice | undefined {
    if (link.meter || !link.stored || link.stored.length === 0) return link.meter;
    const stored = unpackBytes(link.stored);
    const deviceType = DEVICE_TYPES[stored[0]!];
    if (!deviceType) throw DccError.internal(`stored state of ${link.deviceId} has an unknown device type`);
    link.meter = MeterDevice.fromState(
      link.deviceId,
      this.options.seed,
      stored.subarray(1),
      this.clock,
      this.profileOptions(deviceType),
    );
    return link.meter;
  }

  private firstActivation(deviceId: Eui64, recordedType: string | undefined): MeterDevice {
    const deviceType = DEVICE_TYPES.find((t) => t === recordedType);
    if (!deviceType) {
      throw DccError.duis(
        'E11',
        `the SMETS1 device edge models ESME and GSME; the inventory records ${deviceId} as "${recordedType ?? ''}"`,
      );
    }
    return new MeterDevice(deviceId, this.options.seed, this.clock, this.profileOptions(deviceType));
  }

  private profileOptions(deviceType: Smets1DeviceType): MeterOptions {
    return { ...this.options.meterOptions, deviceType, generation: 'SMETS1' };
  }
}
