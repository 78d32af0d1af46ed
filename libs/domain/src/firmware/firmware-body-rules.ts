import { isEui64 } from '../eui64.js';
import { hexDigits, type BodyRule } from '../srv/body-rules.js';
import { FIRMWARE_LIMITS, otaImageProblem } from './ota-image.js';

/** DUIS FirmwareImage: a whole OTA upgrade image within the size limit (ota-image.ts). */
const firmwareImage: BodyRule = (fields) => {
  const image = fields['firmwareImage'];
  if (!(image instanceof Uint8Array)) return 'firmwareImage is missing';
  return otaImageProblem(image);
};

/** DUIS DeviceIDList: 1 to FIRMWARE_LIMITS.maxDevices device ids, none twice. */
const deviceIdList: BodyRule = (fields) => {
  const ids = fields['deviceIds'];
  if (!Array.isArray(ids) || ids.length === 0) return 'deviceIds must name at least one device';
  if (ids.length > FIRMWARE_LIMITS.maxDevices) {
    return `deviceIds names ${ids.length} devices, at most ${FIRMWARE_LIMITS.maxDevices}`;
  }
  const bad = ids.find((id) => typeof id !== 'string' || !isEui64(id));
  if (bad !== undefined) return `deviceIds holds "${String(bad)}", not a device id (XX-XX-XX-XX-XX-XX-XX-XX)`;
  const seen = new Set<string>();
  const repeated = (ids as string[]).find((id) => seen.size === seen.add(id.toUpperCase()).size);
  return repeated === undefined ? undefined : `deviceIds names ${repeated} twice`;
};

/** 11.1 Update Firmware and 11.4 Update PPMID Firmware: what the hub checks before it accepts an image. */
export const updateFirmwareRules: readonly BodyRule[] = [
  firmwareImage,
  hexDigits('firmwareVersion', 8),
  deviceIdList,
];
