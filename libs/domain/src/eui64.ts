import { DccError } from './dcc-error.js';

const CANONICAL = /^[0-9A-F]{2}(-[0-9A-F]{2}){7}$/;

/** An EUI-64 in DUIS form: eight upper-case hex octets joined by '-'. Branded so unchecked strings can't pass. */
export type Eui64 = string & { readonly __brand: 'Eui64' };

/**
 * Accepts only the DUIS spelling (DCC-REFERENCE §1.4): eight upper-case hex octets joined by '-'. Other
 * spellings of the same number (lower case, no separators) are refused rather than canonicalised, so every
 * identifier the hub stores, keys a stream message by or echoes back is spelt exactly as the User sent it, and
 * one device or User never has two spellings (a RequestID is the stream's de-duplication key).
 */
export function parseEui64(value: string, field = 'EUI-64'): Eui64 {
  if (CANONICAL.test(value)) return value as Eui64;
  throw DccError.invalidArgument(
    `${field} "${truncate(value)}" is not an EUI-64 in DUIS form (eight upper-case hex octets joined by '-', e.g. 00-DB-12-00-00-00-00-2A)`,
  );
}

export function isEui64(value: string): boolean {
  return CANONICAL.test(value);
}

/** The EUI-64 as an unsigned 64-bit integer. */
export function eui64ToBigInt(id: Eui64): bigint {
  return BigInt('0x' + id.replaceAll('-', ''));
}

export function eui64FromBigInt(value: bigint): Eui64 {
  if (value < 0n || value >= 1n << 64n)
    throw DccError.invalidArgument(`${value} is outside the EUI-64 range`);
  return value.toString(16).toUpperCase().padStart(16, '0').match(/../g)!.join('-') as Eui64;
}

export function truncate(value: string, max = 64): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}
