import { createHash } from 'node:crypto';

/**
 * The OTA Upgrade Image a User sends with 11.1 / 11.4 (DUIS FirmwareImage). GBCS carries firmware in the Zigbee
 * OTA file format: a little-endian header (file identifier 0x0BEEF11E, header version, header length, field
 * control, manufacturer code, image type, file version, stack version, 32-byte header string, total image size,
 * then optional fields the field control announces) followed by the manufacturer's image. DCC's samples are such
 * files (manufacturer 0x121D, file version 0xACDCACDC). The hub reads the header to check the image is whole
 * before it accepts it; it cannot check the manufacturer's signature (it holds no manufacturer keys: the device
 * does that on activation, 11.3).
 */
export const OTA_FILE_IDENTIFIER = 0x0beef11e;
/** The fixed part of the OTA header, bytes (up to and including the total image size). */
export const OTA_MIN_HEADER_BYTES = 56;

export const FIRMWARE_LIMITS = {
  /**
   * Largest image the hub takes, bytes. The hub keeps each image once, as one JetStream value (NATS's default
   * largest message is 1 MiB), so 512 KiB leaves room; DCC-REFERENCE quotes no limit (inferred).
   */
  maxImageBytes: 524_288,
  /** Devices one 11.1 / 11.4 may name in DeviceIDList (inferred: DUIS quotes none here). */
  maxDevices: 50,
} as const;

/** What the hub reads from an image's OTA header, and the image's SHA-256. */
export interface OtaImageFacts {
  /** SHA-256 of the whole image, 64 lower-case hex digits: the FirmwareHash an 11.3 names. */
  hash: string;
  sizeBytes: number;
  manufacturerCode: number;
  imageType: number;
  /** The header's file version, 8 upper-case hex digits. */
  fileVersion: string;
}

/** SHA-256 of the image bytes (node:crypto), lower-case hex. */
export function imageHashOf(image: Uint8Array): string {
  return createHash('sha256').update(image).digest('hex');
}

/**
 * Checks an image before the hub accepts it: undefined when it is a whole OTA file within the size limit, else
 * what is wrong. "Whole" = the file identifier, a header length inside the image and not shorter than the fixed
 * header, and the header's total image size equal to the bytes received (a truncated or padded upload fails).
 */
export function otaImageProblem(image: Uint8Array): string | undefined {
  if (image.length === 0) return 'firmwareImage is empty';
  if (image.length > FIRMWARE_LIMITS.maxImageBytes) {
    return `firmwareImage is ${image.length} bytes, more than ${FIRMWARE_LIMITS.maxImageBytes}`;
  }
  if (image.length < OTA_MIN_HEADER_BYTES) return 'firmwareImage is shorter than an OTA header';
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (view.getUint32(0, true) !== OTA_FILE_IDENTIFIER) {
    return 'firmwareImage is not an OTA upgrade image (file identifier 0x0BEEF11E)';
  }
  const headerLength = view.getUint16(6, true);
  if (headerLength < OTA_MIN_HEADER_BYTES || headerLength > image.length) {
    return `firmwareImage's OTA header length ${headerLength} does not fit the image`;
  }
  const total = view.getUint32(52, true);
  if (total !== image.length) {
    return `firmwareImage's OTA header gives a total image size of ${total} bytes, but ${image.length} arrived`;
  }
  return undefined;
}

/** The facts of an image otaImageProblem accepted. */
export function otaImageFacts(image: Uint8Array): OtaImageFacts {
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  return {
    hash: imageHashOf(image),
    sizeBytes: image.length,
    manufacturerCode: view.getUint16(10, true),
    imageType: view.getUint16(12, true),
    fileVersion: view.getUint32(14, true).toString(16).toUpperCase().padStart(8, '0'),
  };
}
