/**
 * The UTRN check digit of GBCS §14.8: a Verhoeff scheme (dihedral group D5) with GBCS's own conventions. The
 * permutation (14.8a) and multiplication (14.8b) tables are Verhoeff's; the digits are read from the most
 * significant one, the first with permutation row 4, the row advancing by one (mod 8) per digit; and the
 * final value is mapped through the GBCS inverse table (14.8c), which is not the textbook inverse. A
 * textbook Verhoeff check therefore rejects most real UTRNs, DCC's published sample included.
 */
const PERMUTATION = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const MULTIPLICATION = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const GBCS_INVERSE = [1, 2, 6, 7, 5, 8, 3, 0, 9, 4];
const FIRST_PERMUTATION_ROW = 4;

/** The GBCS check digit for a non-empty string of decimal digits (for a UTRN: the 19-digit PPTD). */
export function gbcsCheckDigit(digits: string): number {
  if (!/^[0-9]+$/.test(digits)) throw new RangeError('a check digit is computed over decimal digits only');
  let acc = 0;
  for (let i = 0; i < digits.length; i++) {
    const row = PERMUTATION[(FIRST_PERMUTATION_ROW + i) % 8]!;
    acc = MULTIPLICATION[acc]![row[digits.charCodeAt(i) - 48]!]!;
  }
  return GBCS_INVERSE[acc]!;
}

/** Whether a string of decimal digits ends in the GBCS check digit of the digits before it. */
export function gbcsCheckDigitValid(digitsWithCheck: string): boolean {
  if (!/^[0-9]{2,}$/.test(digitsWithCheck)) return false;
  const body = digitsWithCheck.slice(0, -1);
  return gbcsCheckDigit(body) === digitsWithCheck.charCodeAt(digitsWithCheck.length - 1) - 48;
}
