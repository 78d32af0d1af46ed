import { verhoeffValid } from './verhoeff.js';

/*
 * UTRN (Unique Transaction Reference Number) structure, DCC-REFERENCE §4.1:
 *   UTRN = PPTD (19 digits) + check digit;  PPTD = 7394156990786306048 + PTUT (64 bits)
 *   PTUT high 32 bits: 7 zero bits | counter bits 32..41 | 2-bit value class (00 pennies, 01 pounds) | 13-bit value
 *   PTUT low 32 bits:  authentication tag over (originator, target, full counter, PTUT high word)
 * What anyone can check without the supplier's and the device's keys lives here, so access control refuses a
 * malformed UTRN before it is stored and the device model reads the same fields. The tag is the device's to
 * verify (libs/meter utrn.ts). The check digit is textbook Verhoeff, not the GBCS variant (see verhoeff.ts).
 */
export const PPTD_OFFSET = 7394156990786306048n;
export const UTRN_DIGITS = 20;
const LOW_32 = 0xffff_ffffn;

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

/** Structural decoding of a 20-digit UTRN; undefined when the check digit or a fixed field is wrong. */
export function decodeUtrn(utrn: string): UtrnFields | undefined {
  if (!/^[0-9]{20}$/.test(utrn) || !verhoeffValid(utrn)) return undefined;
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
