import { DccError } from './dcc-error.js';
import { truncate } from './eui64.js';

/** A 13-digit MPAN core (distributor ID, unique number, check digit), branded so only checked values pass. */
export type MpanCore = string & { readonly __brand: 'MpanCore' };

/** A gas Meter Point Reference Number, branded so only checked values pass. */
export type Mprn = string & { readonly __brand: 'Mprn' };

export interface MpxnParseOptions {
  /**
   * Verify the check digit(s). On by default; off for test estates such as DCC Boxed, whose MPxNs
   * (1312345678111, ...) fail the MPAN check (DCC-REFERENCE §2.3).
   */
  readonly checkDigit?: boolean;
  /** How the value is named in error messages, e.g. the DUIS field 'ImportMPxN'. */
  readonly field?: string;
}

// Digit weights of the MPAN check: the primes from 3 to 43, skipping 11 (DCC-REFERENCE §2.3).
const MPAN_WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43] as const;

// Sources cite 6-10, 6-11 or 3-11 digits (usually 10); 6-11 is what two of the three agree on.
const MPRN_MIN_LENGTH = 6;
const MPRN_MAX_LENGTH = 11;

const DIGITS = /^[0-9]+$/;

/** The check digit (13th digit) of an MPAN core whose first 12 digits are given. */
export function mpanCheckDigit(first12: string): number {
  if (first12.length !== 12 || !DIGITS.test(first12)) {
    throw DccError.invalidArgument(`"${truncate(first12)}" is not the 12 leading digits of an MPAN core`);
  }
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * MPAN_WEIGHTS[i]!;
  return (sum % 11) % 10;
}

/** 13 digits with a matching check digit. Never throws. */
export function isValidMpanCore(core13: string): boolean {
  if (core13.length !== 13 || !DIGITS.test(core13)) return false;
  return mpanCheckDigit(core13.slice(0, 12)) === Number(core13[12]);
}

/**
 * The two check digits that end an MPRN, from the n digits before them: digit i (from 0) weighs n - i, and
 * the weighted sum mod 11 is written as two digits (DCC-REFERENCE §2.3; 39384244 → '03').
 */
export function mprnCheckDigits(digits: string): string {
  if (digits.length === 0 || !DIGITS.test(digits)) {
    throw DccError.invalidArgument(`"${truncate(digits)}" is not the leading digits of an MPRN`);
  }
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (digits.length - i);
  return String(sum % 11).padStart(2, '0');
}

/** 6-11 digits ending in matching check digits. Never throws. */
export function isValidMprn(mprn: string): boolean {
  if (mprn.length < MPRN_MIN_LENGTH || mprn.length > MPRN_MAX_LENGTH || !DIGITS.test(mprn)) return false;
  return mprnCheckDigits(mprn.slice(0, -2)) === mprn.slice(-2);
}

/** A 13-digit MPAN core, or INVALID_ARGUMENT saying what is wrong with it. */
export function parseMpan(core: string, options: MpxnParseOptions = {}): MpanCore {
  const { checkDigit = true, field = 'MPAN core' } = options;
  if (core.length === 0) throw DccError.invalidArgument(`${field} is missing`);
  if (!DIGITS.test(core)) throw invalid(field, core, 'must contain only digits');
  if (core.length !== 13) throw invalid(field, core, `must be 13 digits, not ${core.length}`);
  if (checkDigit) {
    const [actual, expected] = [Number(core[12]), mpanCheckDigit(core.slice(0, 12))];
    if (actual !== expected) throw invalid(field, core, `has check digit ${actual}, expected ${expected}`);
  }
  return core as MpanCore;
}

/** An MPRN of 6-11 digits, or INVALID_ARGUMENT saying what is wrong with it. */
export function parseMprn(value: string, options: MpxnParseOptions = {}): Mprn {
  const { checkDigit = true, field = 'MPRN' } = options;
  if (value.length === 0) throw DccError.invalidArgument(`${field} is missing`);
  if (!DIGITS.test(value)) throw invalid(field, value, 'must contain only digits');
  if (value.length < MPRN_MIN_LENGTH || value.length > MPRN_MAX_LENGTH) {
    throw invalid(field, value, `must be ${MPRN_MIN_LENGTH}-${MPRN_MAX_LENGTH} digits, not ${value.length}`);
  }
  if (checkDigit) {
    const [actual, expected] = [value.slice(-2), mprnCheckDigits(value.slice(0, -2))];
    if (actual !== expected) throw invalid(field, value, `has check digits ${actual}, expected ${expected}`);
  }
  return value as Mprn;
}

function invalid(field: string, value: string, problem: string): DccError {
  return DccError.invalidArgument(`${field} "${truncate(value)}" ${problem}`);
}
