/**
 * An MPxN as a number the view can store in two uint32 words. The digit count is folded in
 * (count × 10^13 + value) so leading zeros survive and an MPRN can never equal an MPAN core; the largest key,
 * 13 × 10^13 + 10^13 - 1, stays far below 2^53, so the arithmetic is exact in a double.
 */

const TEN_13 = 10_000_000_000_000;
const TWO_32 = 4_294_967_296;

/** The key of 1-13 decimal digits, or -1 when the text is not that (a lookup miss, never an exception). */
export function mpxnKey(mpxn: string): number {
  const length = mpxn.length;
  if (length === 0 || length > 13) return -1;
  let value = 0;
  for (let i = 0; i < length; i++) {
    const digit = mpxn.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return length * TEN_13 + value;
}

/** The MPxN text a key came from. */
export function mpxnFromKey(key: number): string {
  const length = Math.floor(key / TEN_13);
  return String(key - length * TEN_13).padStart(length, '0');
}

export function keyHigh(key: number): number {
  return Math.floor(key / TWO_32);
}

export function keyLow(key: number): number {
  return key >>> 0;
}

export function keyFromWords(high: number, low: number): number {
  return high * TWO_32 + low;
}
