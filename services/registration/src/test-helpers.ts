import { mpanCheckDigit, mprnCheckDigits } from '@dcc/domain';

/** A valid MPAN core from its 12 leading digits (for tests and examples). */
export const mpan = (first12: string): string => first12 + String(mpanCheckDigit(first12));
/** A valid MPRN from its leading digits. */
export const mprn = (digits: string): string => digits + mprnCheckDigits(digits);
