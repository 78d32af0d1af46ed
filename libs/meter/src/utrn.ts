import { createHash, createHmac } from 'node:crypto';
import {
  DccError,
  decodeUtrn,
  eui64ToBigInt,
  parseEui64,
  PPTD_OFFSET,
  verhoeffCheckDigit,
  type UtrnFields,
  type UtrnValueClass,
} from '@dcc/domain';

/**
 * UTRN making and verification as a device does it. The structure (digits, offset, bit fields, check digit) is
 * libs/domain's utrn-format.ts. Faithful here: the counter rules (low 32 bits zero, strictly increasing per
 * supplier and device, full counter inferred from the 10 bits it carries).
 * Simulated: the tag. GBCS uses the last 4 bytes of an AES-GCM GMAC under a key agreed (ECDH) between the
 * supplier's top-up key and the device's; here it is HMAC-SHA256 truncated to 32 bits under a key derived
 * deterministically from (supplier id, device id). It proves the same thing inside the simulation (only someone
 * holding the supplier's key for this device can make it) and nothing outside it.
 */
const BLOCK = 1n << 42n;
const MAX_COUNTER = (1n << 64n) - 1n;
const LOW_32 = 0xffff_ffffn;
export const MAX_UTRN_VALUE = 8_191;
export { decodeUtrn, PPTD_OFFSET, type UtrnFields, type UtrnValueClass } from '@dcc/domain';

export function utrnAmountPence(fields: Pick<UtrnFields, 'valueClass' | 'value'>): number {
  return fields.valueClass === 'pennies' ? fields.value : fields.value * 100;
}

/** Simulated GBCS top-up tag: HMAC-SHA256 (key from supplier and device) over the GBCS inputs, first 4 bytes. */
export function utrnTag(supplierId: string, deviceId: string, counter: bigint, highWord: number): number {
  const key = createHash('sha256').update(`dcc-hub simulated UTRN key\0${supplierId}\0${deviceId}`).digest();
  const input = Buffer.alloc(28);
  input.writeBigUInt64BE(eui64ToBigInt(parseEui64(supplierId)), 0);
  input.writeBigUInt64BE(eui64ToBigInt(parseEui64(deviceId)), 8);
  input.writeBigUInt64BE(counter, 16);
  input.writeUInt32BE(highWord, 24);
  return createHmac('sha256', key).update(input).digest().readUInt32BE(0);
}

export interface UtrnRequest {
  supplierId: string;
  deviceId: string;
  /** Originator counter: low 32 bits zero, above every earlier top-up's for this supplier and device. */
  counter: bigint;
  /** Amount; pence up to 8191, otherwise whole pounds up to 8191. */
  pence: number;
}

/** Makes a UTRN as the supplier's (simulated) top-up system would. */
export function createUtrn({ supplierId, deviceId, counter, pence }: UtrnRequest): string {
  if (counter <= 0n || counter > MAX_COUNTER || (counter & LOW_32) !== 0n) {
    throw DccError.invalidArgument(
      `UTRN counter ${counter} must be positive, 64-bit, with its low 32 bits zero`,
    );
  }
  const pounds = pence > MAX_UTRN_VALUE;
  const value = pounds ? pence / 100 : pence;
  if (!Number.isInteger(value) || value < 0 || value > MAX_UTRN_VALUE) {
    throw DccError.invalidArgument(
      `a UTRN carries up to 8191 pence or 8191 whole pounds, not ${pence} pence`,
    );
  }
  const highWord = ((Number((counter >> 32n) & 0x3ffn) << 15) | ((pounds ? 1 : 0) << 13) | value) >>> 0;
  const tag = utrnTag(supplierId, deviceId, counter, highWord);
  const pptd = (PPTD_OFFSET + ((BigInt(highWord) << 32n) | BigInt(tag))).toString();
  return pptd + verhoeffCheckDigit(pptd);
}

/** The counters a UTRN can stand for given the high-water mark: the next one above it, and the last one at or below. */
export function candidateCounters(
  counterBits: number,
  highWaterMark: bigint,
): { next: bigint; previous?: bigint } {
  const low = BigInt(counterBits) << 32n;
  let next = (highWaterMark / BLOCK) * BLOCK + low;
  if (next <= highWaterMark) next += BLOCK;
  const previous = next - BLOCK;
  return previous > 0n ? { next, previous } : { next };
}

export type UtrnVerdict =
  | { status: 'accepted'; counter: bigint; pence: number; valueClass: UtrnValueClass }
  | { status: 'duplicate'; counter: bigint }
  | { status: 'not-authentic'; detail: string };

/**
 * Validates a UTRN for (supplier, device) against the top-up high-water mark, as the meter does: structure and
 * check digit, then the tag for the next counter the 10 bits allow (accepted), else for the last one at or
 * below the mark (a replay: duplicate), else not authentic (wrong supplier, device, or altered digits).
 */
export function verifyUtrn(
  utrn: string,
  supplierId: string,
  deviceId: string,
  highWaterMark: bigint,
): UtrnVerdict {
  const fields = decodeUtrn(utrn);
  if (!fields) return { status: 'not-authentic', detail: 'check digit or structure is wrong' };
  const { next, previous } = candidateCounters(fields.counterBits, highWaterMark);
  if (next <= MAX_COUNTER && utrnTag(supplierId, deviceId, next, fields.highWord) === fields.tag) {
    return {
      status: 'accepted',
      counter: next,
      pence: utrnAmountPence(fields),
      valueClass: fields.valueClass,
    };
  }
  if (previous !== undefined && utrnTag(supplierId, deviceId, previous, fields.highWord) === fields.tag) {
    return { status: 'duplicate', counter: previous };
  }
  return { status: 'not-authentic', detail: 'authentication tag does not match' };
}
