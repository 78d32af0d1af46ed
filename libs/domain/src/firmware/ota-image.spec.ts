import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { firstViolation } from '../srv/body-rules.js';
import { updateFirmwareRules } from './firmware-body-rules.js';
import { FIRMWARE_LIMITS, otaImageFacts, otaImageProblem } from './ota-image.js';

/** A whole OTA image: the 56-byte fixed header, then `body`; `total` overrides the header's total size. */
function image(body: Buffer, total = 56 + body.length): Buffer {
  const header = Buffer.alloc(56);
  header.writeUInt32LE(0x0beef11e, 0);
  header.writeUInt16LE(0x0100, 4);
  header.writeUInt16LE(56, 6);
  header.writeUInt16LE(0x121d, 10);
  header.writeUInt16LE(0x0084, 12);
  header.writeUInt32LE(0xacdcacdc, 14);
  header.writeUInt32LE(total, 52);
  return Buffer.concat([header, body]);
}

const GOOD = image(Buffer.from('a small manufacturer image'));
const ESME = '00-DB-12-34-56-78-90-A0';

describe('OTA upgrade images (11.1, 11.4)', () => {
  it('reads the header and hashes the whole image with SHA-256', () => {
    expect(otaImageProblem(GOOD)).toBeUndefined();
    expect(otaImageFacts(GOOD)).toEqual({
      hash: createHash('sha256').update(GOOD).digest('hex'),
      sizeBytes: GOOD.length,
      manufacturerCode: 0x121d,
      imageType: 0x0084,
      fileVersion: 'ACDCACDC',
    });
  });

  it.each([
    ['an empty image', Buffer.alloc(0), /empty/],
    ['a header cut short', GOOD.subarray(0, 40), /shorter than an OTA header/],
    ['another file format', Buffer.concat([Buffer.from([0, 0, 0, 0]), GOOD.subarray(4)]), /0x0BEEF11E/],
    ['a truncated image', GOOD.subarray(0, GOOD.length - 1), /total image size/],
    ['a padded image', Buffer.concat([GOOD, Buffer.from([0])]), /total image size/],
    ['an image over the limit', image(Buffer.alloc(FIRMWARE_LIMITS.maxImageBytes)), /more than 524288/],
  ])('refuses %s', (_what, bytes, message) => {
    expect(otaImageProblem(bytes)).toMatch(message);
  });

  it('refuses a header length outside the image', () => {
    const bad = Buffer.from(GOOD);
    bad.writeUInt16LE(GOOD.length + 1, 6);
    expect(otaImageProblem(bad)).toMatch(/header length/);
  });
});

describe('11.1 / 11.4 body rules', () => {
  const body = (over: Record<string, unknown>) => ({
    firmwareImage: GOOD,
    firmwareVersion: '02030000',
    deviceIds: [ESME],
    ...over,
  });
  const violation = (over: Record<string, unknown>) => firstViolation(updateFirmwareRules, body(over));

  it('accepts an image, a version and a device list', () => {
    expect(violation({})).toBeUndefined();
  });

  it.each([
    ['no image', { firmwareImage: undefined }, /firmwareImage is missing/],
    ['a bad image', { firmwareImage: GOOD.subarray(1) }, /OTA/],
    ['a version not 8 hex digits', { firmwareVersion: '0203' }, /firmwareVersion must be 8 hex digits/],
    ['no device', { deviceIds: [] }, /at least one device/],
    ['a malformed device id', { deviceIds: ['00DB'] }, /not a device id/],
    ['a device twice', { deviceIds: [ESME, ESME] }, /twice/],
    [
      'too many devices',
      {
        deviceIds: Array.from(
          { length: FIRMWARE_LIMITS.maxDevices + 1 },
          (_, i) => `00-DB-12-00-00-00-00-${i.toString(16).padStart(2, '0').toUpperCase()}`,
        ),
      },
      /at most 50/,
    ],
  ])('refuses %s', (_what, over, message) => {
    expect(violation(over)).toMatch(message);
  });
});
