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
import { executeOnce, type DeviceMemory, type DeviceTransport } from '@dcc/meter-delivery';
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
 * its stored state (its type byte first); and the device's memory of the commands it executed lately, so an S1
 * service provider's repeated delivery is not run again (libs/meter-delivery).
 */
export interface Smets1Link {
  deviceId: Eui64;
  meter: MeterDevice | undefined;
  executed: DeviceMemory;
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
    if (!stored || stored.length === 0) return { deviceId, meter: undefined, executed: new Map() };
    const deviceType = DEVICE_TYPES[stored[0]!];
    if (!deviceType) throw DccError.internal(`stored state of ${deviceId} has an unknown device type`);
    const meter = MeterDevice.fromState(
      deviceId,
      this.options.seed,
      stored.subarray(1),
      this.clock,
      this.profileOptions(deviceType),
    );
    return { deviceId, meter, executed: new Map() };
  }

  save(link: Smets1Link): Uint8Array {
    if (!link.meter) return new Uint8Array(0);
    const state = link.meter.toBytes();
    const bytes = new Uint8Array(state.length + 1);
    // Only ESME and GSME are ever made here (firstActivation), so the type has its byte.
    bytes[0] = DEVICE_TYPES.indexOf(link.meter.profile.deviceType as Smets1DeviceType);
    bytes.set(state, 1);
    return bytes;
  }

  trustedSupplier(link: Smets1Link) {
    // Before its first command a device trusts its profile's default, as a fresh meter does.
    return link.meter
      ? link.meter.trustedSupplier()
      : meterProfile(this.options.meterOptions).trustedSupplier;
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
      () => executeOnce(link.executed, key, () => this.atDevice(link, command, stored, countersignature)),
      stored.dspScheduleId !== undefined,
    );
    const result = answer();
    if (period) cache.put(link.deviceId, period, result);
    else if (result.stateChanged) cache.forget(link.deviceId);
    return result;
  }

  nextWakeMs(link: Smets1Link): number | undefined {
    return link.meter?.nextWakeMs();
  }

  wake(link: Smets1Link): DeviceAlert[] {
    return link.meter?.advance().alerts ?? [];
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
    link.meter ??= this.firstActivation(link.deviceId, deviceType);
    return (image ? link.meter.firmwareTransferred(image) : link.meter.firmwareTransferFailed()).alerts;
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
    link.meter ??= this.firstActivation(link.deviceId, stored.deviceType);
    return link.meter.run(command);
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
