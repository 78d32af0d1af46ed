import { AlertCode, type DeviceAlert } from './alerts.js';
import type { DeviceModel } from './device-model.js';
import type { FirmwareImage, MeterState } from './meter-state.js';

export const FIRMWARE_VERSION = /^[0-9A-F]{8}$/;
export const IMAGE_HASH = /^[0-9a-f]{64}$/;

/**
 * Firmware (DCC-REFERENCE §8): 11.1 is a hub service that sends the image over the WAN to the Communications
 * Hub, which passes it to the device (transfer alert 0x8F8A, or 0x8F89 when it failed); 11.3 then activates
 * an image the device holds, identified by its hash, now or future-dated; the device verifies it (0x8F72, or
 * 0x8F1C) and reports the running firmware changed (0x8F43). The device holds one transferred image.
 */
export function firmwareVersion(state: MeterState, device: DeviceModel): string {
  return state.firmwareVersion ?? device.profile.firmwareVersion;
}

/** An image arrived (spontaneous, from the CH): it replaces any image held and not yet activated. */
export function stageImage(state: MeterState, image: FirmwareImage, atMeterMs: number): DeviceAlert[] {
  state.stagedImage = { hash: image.hash.toLowerCase(), version: image.version.toUpperCase() };
  return [{ code: AlertCode.FIRMWARE_TRANSFER_SUCCEEDED, atMs: atMeterMs }];
}

/** An image the Communications Hub could not deliver whole: nothing is held, the device reports 0x8F89. */
export function transferFailed(atMeterMs: number): DeviceAlert[] {
  return [{ code: AlertCode.FIRMWARE_TRANSFER_FAILED, atMs: atMeterMs }];
}

export function holdsImage(state: MeterState, hash: string): boolean {
  return state.stagedImage?.hash === hash.toLowerCase();
}

/** Activates the held image with this hash; undefined when the device holds no such image. */
export function activateImage(
  state: MeterState,
  device: DeviceModel,
  hash: string,
  atMeterMs: number,
): { version: string; alerts: DeviceAlert[] } | undefined {
  const image = state.stagedImage;
  if (!image || image.hash !== hash.toLowerCase()) return undefined;
  state.stagedImage = null;
  state.firmwareVersion = image.version === device.profile.firmwareVersion ? null : image.version;
  return {
    version: image.version,
    alerts: [
      { code: AlertCode.FIRMWARE_VERIFIED, atMs: atMeterMs },
      { code: AlertCode.RUNNING_FIRMWARE_CHANGED, atMs: atMeterMs },
    ],
  };
}
