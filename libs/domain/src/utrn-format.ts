import { DccError } from './dcc-error.js';
import { gbcsCheckDigit, gbcsCheckDigitValid } from './gbcs-check-digit.js';

/*
 * UTRN (Unique Transaction Reference Number) structure, DCC-REFERENCE §4.1:
 *   UTRN = PPTD (19 digits) + the GBCS §14.8 check digit;  PPTD = 7394156990786306048 + PTUT (64 bits)
 *   PTUT high 32 bits: 7 zero bits | counter bits 32..41 | 2-bit value class (00 pennies, 01 pounds) | 13-bit value
 *   PTUT low 32 bits:  the last 4 bytes of a GMAC over (originator, target, full counter, PTUT high word)
 * What anyone can check without keys lives here, so access control refuses a malformed UTRN before it is
 * stored and the device model reads the same fields. The tag is computed and checked by utrn-tag.ts.
 */
export const PPTD_OFFSET = 7394156990786306048n;
export const UTRN_DIGITS = 20;
/** The largest credit value a UTRN carries, in its value class (13 bits). */
export const UTRN_MAX_VALUE = 8_191;
const LOW_32 = 0xffff_ffffn;
const MAX_COUNTER = (1n << 64n) - 1n;

export type UtrnValueClass = 'pennies' | 'pounds';

export interface UtrnFields {
  /** Bits 32..41 of the originator counter. */
  counterBits: number;
  valueClass: UtrnValueClass;
  value: number;
  /** PTUT high word (authenticated) and low word (the tag). */
  highWord: number;
  tag: number;
}

export interface UtrnCredit {
  /** Originator counter: positive, 64-bit, low 32 bits zero (GBCS top-up counter rules). */
  counter: bigint;
  valueClass: UtrnValueClass;
  /** 0..8191 in the value class. */
  value: number;
}

/** The PTUT high word for a credit; refuses a counter or value GBCS does not allow in a UTRN. */
export function utrnHighWord({ counter, valueClass, value }: UtrnCredit): number {
  if (counter <= 0n || counter > MAX_COUNTER || (counter & LOW_32) !== 0n) {
    throw DccError.invalidArgument(
      `UTRN counter ${counter} must be positive, 64-bit, with its low 32 bits zero`,
    );
  }
  if (!Number.isInteger(value) || value < 0 || value > UTRN_MAX_VALUE) {
    throw DccError.invalidArgument(`a UTRN value is a whole number 0..${UTRN_MAX_VALUE}, not ${value}`);
  }
  const counterBits = Number((counter >> 32n) & 0x3ffn);
  return ((counterBits << 15) | ((valueClass === 'pounds' ? 1 : 0) << 13) | value) >>> 0;
}

/** The 20 digits for a PTUT high word and its tag (the low word). */
export function encodeUtrn(highWord: number, tag: number): string {
  const ptut = (BigInt(highWord >>> 0) << 32n) | BigInt(tag >>> 0);
  const pptd = (PPTD_OFFSET + ptut).toString();
  return pptd + gbcsCheckDigit(pptd);
}

/** Structural decoding of a 20-digit UTRN; undefined when the check digit or a fixed field is wrong. */
export function decodeUtrn(utrn: string): UtrnFields | undefined {
  if (!/^[0-9]{20}$/.test(utrn) || !gbcsCheckDigitValid(utrn)) return undefined;
  const ptut = BigInt(utrn.slice(0, 19)) - PPTD_OFFSET;
  if (ptut < 0n || ptut >> 57n !== 0n) return undefined;
  const highWord = Number(ptut >> 32n);
  const valueClass = (highWord >>> 13) & 3;
  if (valueClass > 1) return undefined;
  return {
    counterBits: (highWord >>> 15) & 0x3ff,
    valueClass: valueClass === 0 ? 'pennies' : 'pounds',
    value: highWord & 0x1fff,
    highWord,
    tag: Number(ptut & LOW_32),
  };
}
